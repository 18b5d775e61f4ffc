package dev.gitops.pipeline;

import dev.gitops.aws.S3Location;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.SourceStore;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Source archives in S3 under {@code gitops.sources.location} ({@code s3://bucket/sources}), written once
 * ({@code If-None-Match: *}: an archive already there, the same bytes by its key, is left as it is). Build roles may
 * read that prefix and write nothing there.
 */
@Singleton
class S3SourceStore implements SourceStore {
    private final BeanProvider<S3Client> s3;
    private final String location;

    S3SourceStore(BeanProvider<S3Client> s3, SourcesConfiguration config) {
        this.s3 = s3;
        this.location = config.getLocation();
    }

    @Override
    public ExecutionInput.Source put(String repository, String commit, Path zip, String sha256) throws IOException {
        if (location == null) {
            throw new IOException("gitops.sources.location (s3://bucket/prefix) is not set: builds have no source to start from");
        }
        S3Location root = S3Location.parse(location);
        String key = root.key(SourceStore.key(repository, commit, sha256));
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    s3.get().putObject(b -> b.bucket(root.bucket()).key(key).ifNoneMatch("*").contentType("application/zip")
                            .metadata(Map.of("sha256", sha256, "commit", commit)), RequestBody.fromFile(zip));
                    break;
                } catch (S3Exception e) {
                    // 412: kept already (its key holds its sha256); 409: another writer of the same archive is at it
                    if (e.statusCode() == 412 || e.statusCode() == 409 && kept(root.bucket(), key)) {
                        break;
                    }
                    if (e.statusCode() != 409 || attempt == 3) {
                        throw e;
                    }
                }
            }
        } catch (SdkException e) {
            throw new IOException("could not keep the source of " + repository + "@" + commit + " in s3://"
                    + root.bucket() + "/" + key + ": " + e.getMessage(), e);
        }
        return new ExecutionInput.Source(root.bucket() + "/" + key, "s3://" + root.bucket() + "/" + key, sha256);
    }

    private boolean kept(String bucket, String key) {
        try {
            s3.get().headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (S3Exception e) {
            return false;
        }
    }
}
