package dev.gitops.local;

import dev.gitops.runtime.LocalMode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access key the embedded engine's endpoint accepts (AWS Signature Version 4): {@code gitops.local.access-key-id}
 * and {@code gitops.local.secret-access-key} ({@code GITOPS_LOCAL_ACCESS_KEY_ID}, {@code GITOPS_LOCAL_SECRET_ACCESS_KEY})
 * when both are set; else the pair generated on first start into {@code <data-dir>/aws-credentials}, in the AWS
 * shared-credentials format under the profile {@code gitops-local} (mode 600), so the AWS CLI can use it as it is.
 */
@Singleton
@LocalMode
public class LocalCredentials {
    /** The profile of the credentials file. */
    public static final String PROFILE = "gitops-local";
    static final String FILE = "aws-credentials";
    private static final Logger LOG = LoggerFactory.getLogger(LocalCredentials.class);
    private static final Pattern KEY = Pattern.compile("(?m)^\\s*aws_access_key_id\\s*=\\s*(\\S+)");
    private static final Pattern SECRET = Pattern.compile("(?m)^\\s*aws_secret_access_key\\s*=\\s*(\\S+)");

    private final String accessKeyId;
    private final String secretAccessKey;
    private final Path file;

    public LocalCredentials(LocalConfiguration config) {
        this.file = config.dataPath().resolve(FILE);
        if (config.getAccessKeyId() != null && config.getSecretAccessKey() != null) {
            this.accessKeyId = config.getAccessKeyId();
            this.secretAccessKey = config.getSecretAccessKey();
            LOG.info("engine endpoint: signed requests with GITOPS_LOCAL_ACCESS_KEY_ID \"{}\" are accepted", accessKeyId);
            return;
        }
        try {
            if (!Files.exists(file)) {
                String id = ("AKIAGITOPS" + LocalSecrets.random(5)).toUpperCase(Locale.ROOT);
                LocalSecrets.writePrivate(file, "[" + PROFILE + "]\naws_access_key_id = " + id + "\naws_secret_access_key = "
                        + LocalSecrets.random(20) + "\n");
            }
            String text = Files.readString(file);
            Matcher key = KEY.matcher(text);
            Matcher secret = SECRET.matcher(text);
            if (!key.find() || !secret.find()) {
                throw new IllegalStateException(file + " has no aws_access_key_id and aws_secret_access_key: delete it to have"
                        + " new ones made, or set GITOPS_LOCAL_ACCESS_KEY_ID and GITOPS_LOCAL_SECRET_ACCESS_KEY");
            }
            this.accessKeyId = key.group(1);
            this.secretAccessKey = secret.group(1);
            LOG.info("engine endpoint: signed requests only, with profile \"{}\" of \"{}\" (AWS_SHARED_CREDENTIALS_FILE)", PROFILE,
                    file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the engine endpoint's credentials " + file, e);
        }
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** Where the generated credentials are kept (whether or not they are the ones in use). */
    public Path file() {
        return file;
    }
}
