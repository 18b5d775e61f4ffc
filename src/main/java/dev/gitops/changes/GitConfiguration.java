package dev.gitops.changes;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * {@code gitops.git.*}: where repositories are cloned from and cached. {@code url-template} (e.g.
 * {@code file:///srv/git/{owner}/{repo}.git}) replaces the payload's clone URL, for mirrors and local use;
 * {@code token} authenticates HTTPS fetches and is never written into a URL.
 */
@ConfigurationProperties("gitops.git")
public class GitConfiguration {
    @Nullable
    private String urlTemplate;
    @Nullable
    private String token;
    @Nullable
    @Pattern(regexp = "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+", message = "gitops.git.token-arn must be the ARN of a Secrets Manager secret")
    private String tokenArn;
    @NotBlank(message = "gitops.git.cache-dir must name a directory")
    private String cacheDir = ".gitops/git";
    /** How long change detection of one event may take once its commits are fetched. */
    public static final Duration DEFAULT_DETECTION_DEADLINE = Duration.ofSeconds(60);
    @NotNull
    private Duration detectionDeadline = DEFAULT_DETECTION_DEADLINE;
    @Min(value = 0, message = "gitops.git.depth must be 0 (the whole history) or a number of commits")
    private int depth;

    /**
     * {@code gitops.git.depth}: how many commits of history a fetch brings (0: all of it, the default; in Lambda 50, so
     * a mirror fits SnapStart's 512 MB of {@code /tmp}). A diff needs only the pushed commits; a merge base further back
     * than this is not found, and a new branch then plans every stack.
     */
    public int getDepth() {
        return depth;
    }

    public void setDepth(int depth) {
        this.depth = depth;
    }

    public Duration getDetectionDeadline() {
        return detectionDeadline;
    }

    public void setDetectionDeadline(Duration detectionDeadline) {
        this.detectionDeadline = detectionDeadline;
    }

    public String getUrlTemplate() {
        return urlTemplate;
    }

    public void setUrlTemplate(@Nullable String urlTemplate) {
        this.urlTemplate = Settings.text(urlTemplate);
    }

    public String getToken() {
        return token;
    }

    public void setToken(@Nullable String token) {
        this.token = Settings.text(token);
    }

    public String getCacheDir() {
        return cacheDir;
    }

    public void setCacheDir(String cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** {@code gitops.git.token-arn}: the Secrets Manager secret holding the git token. */
    public String getTokenArn() {
        return tokenArn;
    }

    public void setTokenArn(@Nullable String tokenArn) {
        this.tokenArn = Settings.text(tokenArn);
    }
}
