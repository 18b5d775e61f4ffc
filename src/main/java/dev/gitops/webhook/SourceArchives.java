package dev.gitops.webhook;

import dev.gitops.changes.GitMirror;
import dev.gitops.changes.SourceArchive;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.SourceStore;
import jakarta.inject.Singleton;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source of a push's builds: the diffed commit's tree, archived from the mirror change detection fetched into
 * ({@link SourceArchive}) and kept in the {@link SourceStore}, once per repository and commit (the last hundred are
 * remembered, so a redelivery or another environment's push of the same commit writes nothing again).
 */
@Singleton
class SourceArchives {
    private static final Logger LOG = LoggerFactory.getLogger(SourceArchives.class);
    private static final int REMEMBERED = 100;

    private final GitMirror mirror;
    private final SourceStore store;
    private final Map<String, ExecutionInput.Source> kept = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExecutionInput.Source> eldest) {
            return size() > REMEMBERED;
        }
    });

    SourceArchives(GitMirror mirror, SourceStore store) {
        this.mirror = mirror;
        this.store = store;
    }

    /** The kept archive of {@code commit}, written now if it is not kept yet. */
    ExecutionInput.Source of(String repository, String commit) throws IOException {
        String id = repository + "@" + commit;
        ExecutionInput.Source known = kept.get(id);
        if (known != null) {
            return known;
        }
        long start = System.nanoTime();
        SourceArchive archive = SourceArchive.of(mirror.repository(repository), ObjectId.fromString(commit));
        try {
            ExecutionInput.Source source = store.put(repository, commit, archive.file(), archive.sha256());
            LOG.info("source of {}@{}: {} files, sha256 {}, kept as \"{}\" ({} ms)", repository, commit, archive.files(),
                    archive.sha256(), source.url(), (System.nanoTime() - start) / 1_000_000);
            kept.put(id, source);
            return source;
        } finally {
            Files.deleteIfExists(archive.file());
        }
    }
}
