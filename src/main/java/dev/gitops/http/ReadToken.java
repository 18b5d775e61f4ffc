package dev.gitops.http;

import dev.gitops.runtime.InLambda;
import dev.gitops.secrets.Secret;
import dev.gitops.secrets.Secrets;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import jakarta.inject.Singleton;

/**
 * {@code gitops.api.read-token} guards what the controller shows ({@code GET /api/*}, {@code /ui}): with a token set,
 * only {@code Authorization: Bearer <read token>} (or the admin token) reads. Locally it is off by default, everything
 * being on loopback; in AWS, where the API is public, an unset token refuses every read (see {@link Required}).
 * Nothing it guards can decide an approval: links there are unsigned.
 */
@ServerFilter({"/api/**", "/ui", "/ui/**"})
class ReadToken {
    private final Secret token;
    private final AdminToken adminToken;
    private final boolean required;

    ReadToken(HttpConfiguration config, Secrets secrets, AdminToken adminToken, @Nullable Required required) {
        this.token = secrets.of("gitops.api.read-token", config.getApi().getReadToken(), config.getApi().getReadTokenArn());
        this.adminToken = adminToken;
        this.required = required != null;
    }

    /** Present in AWS: reading without a read token is refused rather than open to the internet. */
    @Singleton
    @InLambda
    static class Required {
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        if (!HttpMethod.GET.equals(request.getMethod()) && !HttpMethod.HEAD.equals(request.getMethod())) {
            return null; // writes check the admin token themselves
        }
        if (!token.configured()) {
            return required ? ApiError.respond(401, "read-token-not-configured", "reading the API needs gitops.api.read-token"
                    + " (GITOPS_API_READ_TOKEN) to be set on the controller") : null;
        }
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return ApiError.respond(401, "unauthorized", "send Authorization: Bearer <gitops.api.read-token>");
        }
        String given = authorization.substring("Bearer ".length());
        if (Hmac.same(token.value().orElseThrow(), given) || adminToken.matches(given)) {
            return null;
        }
        return ApiError.respond(401, "unauthorized", "the bearer token is not gitops.api.read-token");
    }
}
