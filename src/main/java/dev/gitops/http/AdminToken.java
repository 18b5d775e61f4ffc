package dev.gitops.http;

import dev.gitops.secrets.Secret;
import dev.gitops.secrets.Secrets;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;

/** The admin endpoints' check of {@code Authorization: Bearer <gitops.admin-token>}. */
@Singleton
public class AdminToken {
    private final Secret token;

    public AdminToken(HttpConfiguration config, Secrets secrets) {
        this.token = secrets.of("gitops.admin-token", config.getAdminToken(), config.getAdminTokenArn());
    }

    /**
     * @param action what the caller wants to do, for the sentence when no token is configured ("releasing locks")
     * @return null when the header carries the admin token; else the answer that refuses (403 when none is
     * configured, 401 when the header is missing or wrong)
     */
    public HttpResponse<ApiError> refusal(@Nullable String authorization, String action) {
        if (!token.configured()) {
            return ApiError.respond(403, "admin-token-not-configured",
                    action + " needs gitops.admin-token (GITOPS_ADMIN_TOKEN) to be set on the controller");
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return ApiError.respond(401, "unauthorized", "send Authorization: Bearer <gitops.admin-token>");
        }
        if (!matches(authorization.substring("Bearer ".length()))) {
            return ApiError.respond(401, "unauthorized", "the bearer token is not gitops.admin-token");
        }
        return null;
    }

    /** Whether {@code given} is the admin token (false when none is configured). */
    boolean matches(String given) {
        return token.configured() && Hmac.same(token.value().orElseThrow(), given);
    }
}
