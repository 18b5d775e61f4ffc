package dev.gitops.changes;

import dev.gitops.runtime.Settings;
import dev.gitops.runtime.Threads;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One bare clone per repository under a cache directory, fetched incrementally: only the refs a push names, and only
 * when the commits it needs are not there yet. Fetches of one repository are serialized; reading is not.
 * An HTTPS token is handed to JGit as credentials, never written into a URL.
 */
public final class GitMirror implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GitMirror.class);
    private static final int FETCH_TIMEOUT_SECONDS = 60;

    private final Path cacheDir;
    private final Supplier<String> token;
    private final int depth;
    private final Map<String, Repository> repositories = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** A fetch that failed, with a sentence saying what could not be fetched and why. */
    public static final class FetchFailed extends Exception {
        FetchFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static {
        // JGit's defaults (10 MB of pack windows, 10 MB of delta bases) make every diff of a large repository
        // inflate and re-apply the same tree deltas; keep more of them in memory.
        WindowCacheConfig cache = new WindowCacheConfig();
        cache.setPackedGitLimit(256L * 1024 * 1024);
        cache.setDeltaBaseCacheLimit(64 * 1024 * 1024);
        cache.setPackedGitOpenFiles(256);
        cache.install();
    }

    /** @param token the HTTPS token, asked for when a fetch needs it (it may come from Secrets Manager); null for none */
    public GitMirror(Path cacheDir, Supplier<String> token) {
        this(cacheDir, token, 0);
    }

    /** @param depth commits of history each fetch brings (0: all): a shallow mirror, for Lambda's small /tmp */
    public GitMirror(Path cacheDir, Supplier<String> token, int depth) {
        this.cacheDir = cacheDir;
        this.token = token == null ? () -> null : token;
        this.depth = depth;
    }

    /** The bare clone of {@code owner/repo}, created empty the first time. */
    public Repository repository(String fullName) throws IOException {
        try {
            return repositories.computeIfAbsent(fullName, name -> {
                try {
                    File dir = cacheDir.resolve(name + ".git").toFile();
                    if (!new File(dir, "objects").isDirectory()) {
                        Files.createDirectories(dir.toPath());
                        Git.init().setBare(true).setDirectory(dir).call().close();
                    }
                    return new FileRepositoryBuilder().setGitDir(dir).setMustExist(true).build();
                } catch (IOException | GitAPIException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IllegalStateException e) {
            throw new IOException("cannot open the cached clone of " + fullName + " under " + cacheDir + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Packs a mirror may gather (one per fetch) before it is repacked: every lookup searches them all. */
    static final int PACK_LIMIT = 50;
    private final Set<String> repacking = ConcurrentHashMap.newKeySet();
    private static final ExecutorService REPACKER = Executors.newSingleThreadExecutor(Threads.daemon("git-repack"));

    /**
     * Each fetch leaves a small pack, and lookups get slower with every pack (and hold a file open); past
     * {@link #PACK_LIMIT} (git's {@code gc.autoPackLimit}) the mirror is repacked in the background, as
     * {@code git gc --auto} would. Fetches go on meanwhile: JGit's GC leaves packs written after it started alone. A
     * repack of the benchmark's 5,000-commit repository takes about a second.
     */
    private void maybeRepack(String fullName, Repository repository) {
        File[] packs = new File(repository.getDirectory(), "objects/pack")
                .listFiles((dir, name) -> name.endsWith(".pack"));
        if (packs == null || packs.length <= PACK_LIMIT || !repacking.add(fullName)) {
            return;
        }
        REPACKER.execute(() -> {
            try {
                long start = System.nanoTime();
                GC gc = new GC((FileRepository) repository);
                gc.setAuto(false);
                gc.setPackExpireAgeMillis(0); // the packs it replaces go at once (default: an hour later)
                gc.gc().get();
                LOG.info("repacked the mirror of \"{}\" ({} packs) in {} ms", fullName, packs.length,
                        (System.nanoTime() - start) / 1_000_000);
            } catch (Exception e) {
                LOG.warn("could not repack the mirror of \"{}\": {}", fullName, e.toString());
            } finally {
                repacking.remove(fullName);
            }
        });
    }

    public boolean has(Repository repository, ObjectId id) {
        try {
            return repository.getObjectDatabase().has(id);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes {@code wanted} present: nothing happens when they all are; else the {@code refs} are fetched (each
     * {@code refs/...} name is mirrored under the same name), then any commit still missing is asked for by id.
     *
     * @return the wanted commits that the remote would not give (e.g. a {@code before} lost to a force push)
     */
    public List<ObjectId> fetch(String fullName, String url, List<String> refs, Collection<ObjectId> wanted)
            throws IOException, FetchFailed {
        Repository repository = repository(fullName);
        if (!refs.isEmpty() && wanted.isEmpty() || !allPresent(repository, wanted)) {
            ReentrantLock lock = locks.computeIfAbsent(fullName, name -> new ReentrantLock());
            lock.lock();
            try {
                if (!refs.isEmpty() && wanted.isEmpty() || !allPresent(repository, wanted)) {
                    List<RefSpec> specs = new ArrayList<>();
                    for (String ref : refs) {
                        specs.add(new RefSpec("+" + ref + ":" + ref));
                    }
                    if (!specs.isEmpty()) {
                        call(repository, url, specs, "fetching " + String.join(", ", refs) + " of " + fullName);
                    }
                    for (ObjectId id : wanted) {
                        if (!has(repository, id)) {
                            try {
                                call(repository, url, List.of(new RefSpec(id.name())), "fetching commit " + id.name());
                            } catch (FetchFailed e) {
                                LOG.info("commit \"{}\" of \"{}\" could not be fetched: {}", id.name(), fullName, e.getMessage());
                            }
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
            maybeRepack(fullName, repository);
        }
        List<ObjectId> missing = new ArrayList<>();
        for (ObjectId id : wanted) {
            if (!has(repository, id)) {
                missing.add(id);
            }
        }
        return missing;
    }

    private boolean allPresent(Repository repository, Collection<ObjectId> wanted) {
        for (ObjectId id : wanted) {
            if (!has(repository, id)) {
                return false;
            }
        }
        return true;
    }

    private void call(Repository repository, String url, List<RefSpec> specs, String what) throws FetchFailed {
        try (Git git = new Git(repository)) {
            var fetch = git.fetch().setRemote(url).setRefSpecs(specs).setTimeout(FETCH_TIMEOUT_SECONDS)
                    .setRemoveDeletedRefs(false);
            if (depth > 0) {
                fetch.setDepth(depth);
            }
            CredentialsProvider credentials = credentials(url);
            if (credentials != null) {
                fetch.setCredentialsProvider(credentials);
            }
            fetch.call();
        } catch (GitAPIException | RuntimeException e) {
            throw new FetchFailed(what + " from " + redactUrl(url) + " failed: " + rootMessage(e), e);
        }
    }

    private CredentialsProvider credentials(String url) {
        String given = url.startsWith("https://") ? Settings.text(token.get()) : null;
        return given != null ? new UsernamePasswordCredentialsProvider("x-access-token", given) : null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }

    /** A URL without any user information (a token someone put there), for messages and execution input. */
    public static String redactUrl(String url) {
        return url.replaceAll("://[^/@]+@", "://");
    }

    @Override
    public void close() {
        repositories.values().forEach(Repository::close);
        repositories.clear();
    }
}
