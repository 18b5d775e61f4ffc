package dev.gitops.approval;

import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

    /**
     * What the approval page shows of a plan.
     *
     * @param text     the plan's text (cut at 512 KiB), or a sentence saying why it cannot be shown
     * @param verified whether the whole file has the sha256 the plan build recorded: only then may a person approve
     *                 what it shows
     */
    public record Shown(String text, boolean verified) {
    }

    /** The plan's text, checked against the sha256 the plan build recorded for it ({@code expectedSha256}). */
    public Shown read(String planLocation, String expectedSha256) {
        return read(planLocation, expectedSha256, LIMIT);
    }

    /** The same, cut at {@code limit} bytes rather than 512 KiB. */
    public Shown read(String planLocation, String expectedSha256, int limit) {
        if (planLocation == null || planLocation.isBlank()) {
            return new Shown("(no saved plan)", false);
        }
        String location = planLocation + ".txt";
        try (InputStream in = open(location)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
                if (kept.size() < limit) {
                    kept.write(buffer, 0, (int) Math.min(n, limit - kept.size()));
                }
                total += n;
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (expectedSha256 == null || expectedSha256.isBlank() || !MessageDigest.isEqual(
                    sha256.getBytes(StandardCharsets.US_ASCII), expectedSha256.getBytes(StandardCharsets.US_ASCII))) {
                return new Shown("(the plan's text at " + location + " does not have the sha256 its plan build recorded"
                        + (expectedSha256 == null || expectedSha256.isBlank() ? " (none was recorded)" : "") + ": it is not"
                        + " shown, and this plan cannot be approved here. Reject it and push again.)", false);
            }
            String text = kept.toString(StandardCharsets.UTF_8);
            return new Shown(total > limit ? text + "\n… (cut at " + limit / 1024 + " KiB)" : text, true);
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            return new Shown("(the plan's text could not be read from " + location + ": " + e.getMessage() + ")", false);
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
