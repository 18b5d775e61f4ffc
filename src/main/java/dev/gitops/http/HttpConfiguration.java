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
    @Nullable
    @Pattern(regexp = "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+", message = "gitops.admin-token-arn must be the ARN of a Secrets Manager secret")
    private String adminTokenArn;
    private Api api = new Api();

    /** {@code gitops.api.*}. */
    @ConfigurationProperties("api")
    public static class Api {
        @Nullable
        private String readToken;
        @Nullable
        @Pattern(regexp = "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+", message = "gitops.api.read-token-arn must be the ARN of a Secrets Manager secret")
        private String readTokenArn;

        /** {@code gitops.api.read-token}: the bearer token of {@code GET /api/*} and {@code /ui}, when set. */
        public String getReadToken() {
            return readToken;
        }

        public void setReadToken(@Nullable String readToken) {
            this.readToken = Settings.text(readToken);
        }

        /** {@code gitops.api.read-token-arn}: the Secrets Manager secret holding the read token. */
        public String getReadTokenArn() {
            return readTokenArn;
        }

        public void setReadTokenArn(@Nullable String readTokenArn) {
            this.readTokenArn = Settings.text(readTokenArn);
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

    /** {@code gitops.admin-token-arn}: the Secrets Manager secret holding the admin token. */
    public String getAdminTokenArn() {
        return adminTokenArn;
    }

    public void setAdminTokenArn(@Nullable String adminTokenArn) {
        this.adminTokenArn = Settings.text(adminTokenArn);
    }
}
