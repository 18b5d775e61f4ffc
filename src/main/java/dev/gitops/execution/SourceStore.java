package dev.gitops.execution;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the source archives builds start from are kept: an S3 prefix no build may write ({@code gitops.sources.location}
 * in AWS), a directory of the controller's locally. Each archive is written once under a key holding its sha256, so
 * nothing can take its place.
 */
public interface SourceStore {
    /**
     * Keeps {@code zip} (the tree of {@code commit} in {@code repository}) unless it is kept already.
     *
     * @return where builds read it, with its sha256
     */
    ExecutionInput.Source put(String repository, String commit, Path zip, String sha256) throws IOException;

    /** The key of an archive under the store's root: {@code <owner>/<repo>/<commit>/<sha256>.zip}. */
    static String key(String repository, String commit, String sha256) {
        return repository + "/" + commit + "/" + sha256 + ".zip";
    }
}
