package dev.gitops.approval;

import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The plan as {@code terraform show} prints it, kept by the buildspec beside the saved plan ({@code <location>.txt}):
 * a file locally, an S3 object in AWS. Never the JSON form, which holds secrets in clear.
 */
@Singleton
public class PlanText {
    static final int LIMIT = 512 * 1024;
    private final BeanProvider<S3Client> s3;

    /** @param s3 created when a plan is first read from S3 (never, locally) */
    public PlanText(BeanProvider<S3Client> s3) {
        this.s3 = s3;
    }

    /** The plan's text, cut at 512 KiB; a sentence saying why when it cannot be read. */
    public String read(String planLocation) {
        if (planLocation == null || planLocation.isBlank()) {
            return "(no saved plan)";
        }
        String location = planLocation + ".txt";
        try (InputStream in = open(location)) {
            byte[] bytes = in.readNBytes(LIMIT + 1);
            String text = new String(bytes, 0, Math.min(bytes.length, LIMIT), StandardCharsets.UTF_8);
            return bytes.length > LIMIT ? text + "\n… (cut at 512 KiB)" : text;
        } catch (IOException | RuntimeException e) {
            return "(the plan's text could not be read from " + location + ": " + e.getMessage() + ")";
        }
    }

    private InputStream open(String location) throws IOException {
        if (location.startsWith("s3://")) {
            String rest = location.substring("s3://".length());
            int slash = rest.indexOf('/');
            ResponseInputStream<GetObjectResponse> object = s3.get().getObject(b -> b.bucket(rest.substring(0, slash))
                    .key(rest.substring(slash + 1)));
            return object;
        }
        return Files.newInputStream(Path.of(location));
    }
}
