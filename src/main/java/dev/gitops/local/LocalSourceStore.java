package dev.gitops.local;

import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.SourceStore;
import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Local mode's source archives: files under {@code <data-dir>/sources/}, the controller's alone (builds run without a
 * view of the data directory; the local runner, as the controller, unpacks them into the build's work tree after
 * checking their sha256). Written once, by an atomic move.
 */
@Singleton
@LocalMode
@Replaces(SourceStore.class)
public class LocalSourceStore implements SourceStore {
    private final Path root;

    public LocalSourceStore(LocalConfiguration config) {
        this.root = config.dataPath().resolve("sources").toAbsolutePath().normalize();
    }

    /** Where the archives are kept: the local runner reads only from here. */
    public Path root() {
        return root;
    }

    @Override
    public ExecutionInput.Source put(String repository, String commit, Path zip, String sha256) throws IOException {
        Path file = root.resolve(SourceStore.key(repository, commit, sha256)).normalize();
        if (!file.startsWith(root)) {
            throw new IOException("'" + repository + "' makes no place under " + root);
        }
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Path partial = Files.createTempFile(file.getParent(), ".source-", ".partial");
            Files.copy(zip, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return new ExecutionInput.Source(file.toString(), file.toString(), sha256);
    }
}
