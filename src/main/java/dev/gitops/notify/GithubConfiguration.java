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
}
