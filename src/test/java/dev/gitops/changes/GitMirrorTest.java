package dev.gitops.changes;

import dev.gitops.Await;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mirror keeps itself lean: every fetch leaves a pack, and past the limit it is repacked in the background. */
class GitMirrorTest {
    @Test
    void packsLeftByManyFetchesAreRepackedInTheBackgroundAndNothingIsLost() throws Exception {
        Path root = Await.tempDir("mirror-repack");
        GitFixture git = GitFixture.create(root, "acme/many");
        try (GitMirror mirror = new GitMirror(root.resolve("cache"), null)) {
            String last = null;
            for (int i = 0; i <= GitMirror.PACK_LIMIT + 1; i++) {
                git.write("file-" + i + ".txt", "content " + i + "\n");
                last = git.commit("commit " + i);
                git.pushBranch("main");
                mirror.fetch("acme/many", git.remote.toUri().toString(), List.of("refs/heads/main"),
                        List.of(ObjectId.fromString(last)));
            }
            File packs = new File(mirror.repository("acme/many").getDirectory(), "objects/pack");
            Await.until(() -> count(packs) < 5, "the mirror is repacked");
            ObjectId head = ObjectId.fromString(last);
            assertTrue(mirror.has(mirror.repository("acme/many"), head), "every commit is still there");
        }
    }

    private static int count(File packs) {
        File[] files = packs.listFiles((dir, name) -> name.endsWith(".pack"));
        return files == null ? 0 : files.length;
    }
}
