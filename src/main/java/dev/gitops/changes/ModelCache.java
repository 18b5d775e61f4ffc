package dev.gitops.changes;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Repository models by repository and tree (least recently used first out), and Terraform file scans by blob: the
 * same tree is never modelled twice, the same file content never read twice, and a new commit's model is derived from
 * its base's by reading only what changed.
 */
final class ModelCache {
    private static final int MODELS = 512;
    private static final int SCANS = 100_000;

    /** Models by repository and tree: a model reads its repository, so two mirrors never share one. */
    private final Map<Key, RepoModel> models = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, RepoModel> eldest) {
            return size() > MODELS;
        }
    };
    private final Map<ObjectId, TerraformScanner.Result> scans = new ConcurrentHashMap<>();

    /** Repository by identity (a reopened mirror starts afresh), tree by id. */
    private record Key(Repository repository, ObjectId tree) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.repository == repository && key.tree.equals(tree);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(repository) * 31 + tree.hashCode();
        }
    }

    /** A commit's model: cached, or read from its whole tree. */
    RepoModel model(Repository repository, RevCommit commit) throws IOException {
        RepoModel model = cached(repository, commit.getTree().getId());
        if (model != null) {
            return model;
        }
        try (ObjectReader reader = repository.newObjectReader()) {
            return remember(repository, commit.getTree().getId(),
                    RepoModel.build(repository, commit.getTree(), blob -> scan(reader, blob)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The head's model: cached, or derived from its base's and the diff between them (only what changed is read). */
    RepoModel model(Repository repository, RepoModel base, RevCommit head, List<DiffEntry> diff) throws IOException {
        RepoModel model = cached(repository, head.getTree().getId());
        if (model != null) {
            return model;
        }
        try (ObjectReader reader = repository.newObjectReader()) {
            return remember(repository, head.getTree().getId(), base.derive(head.getTree(), diff, blob -> scan(reader, blob)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private RepoModel cached(Repository repository, ObjectId tree) {
        synchronized (models) {
            return models.get(new Key(repository, tree));
        }
    }

    private RepoModel remember(Repository repository, ObjectId tree, RepoModel model) {
        synchronized (models) {
            models.put(new Key(repository, tree.copy()), model);
        }
        return model;
    }

    /** A .tf file's scan, cached by blob id. */
    private TerraformScanner.Result scan(ObjectReader reader, ObjectId blob) {
        TerraformScanner.Result result = scans.get(blob);
        if (result == null) {
            try {
                result = TerraformScanner.scan(new String(reader.open(blob).getBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (scans.size() >= SCANS) {
                scans.clear();
            }
            scans.put(blob, result);
        }
        return result;
    }
}
