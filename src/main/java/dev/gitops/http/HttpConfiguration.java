package dev.gitops.http;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;

/**
 * How people reach the controller and prove they administer it: {@code gitops.public-url} (links in messages, the
 * approval page's Origin check; required in AWS, the controller's own address locally) and {@code gitops.admin-token}
 * (bearer token of the admin endpoints; unset, they refuse).
 */
@ConfigurationProperties("gitops")
public class HttpConfiguration {
    @Nullable
    @Pattern(regexp = "https?://\\S+", message = "gitops.public-url must be an http:// or https:// URL")
    private String publicUrl;
    @Nullable
    private String adminToken;
    private Api api = new Api();

    /** {@code gitops.api.*}. */
    @ConfigurationProperties("api")
    public static class Api {
        @Nullable
        private String readToken;

        /** {@code gitops.api.read-token}: the bearer token of {@code GET /api/*} and {@code /ui}, when set. */
        public String getReadToken() {
            return readToken;
        }

        public void setReadToken(@Nullable String readToken) {
            this.readToken = Settings.text(readToken);
        }
    }

    public Api getApi() {
        return api;
    }

    public void setApi(Api api) {
        this.api = api;
    }

    public String getPublicUrl() {
        return publicUrl;
    }

    public void setPublicUrl(@Nullable String publicUrl) {
        this.publicUrl = Settings.text(publicUrl);
    }

    public String getAdminToken() {
        return adminToken;
    }

    public void setAdminToken(@Nullable String adminToken) {
        this.adminToken = Settings.text(adminToken);
    }
}
