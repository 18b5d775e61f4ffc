package dev.gitops.notify;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;

/**
 * {@code gitops.github.*}: GitHub's API ({@code api-url}, GitHub Enterprise's for a server of your own) and the token
 * commit statuses are set with ({@code token}; unset, statuses are logged).
 */
@ConfigurationProperties("gitops.github")
public class GithubConfiguration {
    static final String DEFAULT_API = "https://api.github.com";

    @Pattern(regexp = "https?://\\S+", message = "gitops.github.api-url must be an http:// or https:// URL")
    private String apiUrl = DEFAULT_API;
    @Nullable
    private String token;
    @Nullable
    @Pattern(regexp = "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+", message = "gitops.github.token-arn must be the ARN of a Secrets Manager secret")
    private String tokenArn;
    @Nullable
    private Boolean prComments;

    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(@Nullable String apiUrl) {
        this.apiUrl = apiUrl == null || apiUrl.isBlank() ? DEFAULT_API : apiUrl.replaceAll("/+$", "");
    }

    public String getToken() {
        return token;
    }

    public void setToken(@Nullable String token) {
        this.token = Settings.text(token);
    }

    /**
     * {@code gitops.github.pr-comments}: whether a pull request's plan-only runs answer it with a plan comment; null
     * (unset): yes when a token is set.
     */
    public Boolean getPrComments() {
        return prComments;
    }

    public void setPrComments(@Nullable Boolean prComments) {
        this.prComments = prComments;
    }

    /** {@code gitops.github.token-arn}: the Secrets Manager secret holding the GitHub token. */
    public String getTokenArn() {
        return tokenArn;
    }

    public void setTokenArn(@Nullable String tokenArn) {
        this.tokenArn = Settings.text(tokenArn);
    }
}
