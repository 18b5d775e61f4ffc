package dev.gitops.http;

import dev.gitops.secrets.SecretUnavailable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret given by ARN that Secrets Manager does not hand over: 503 {@code secret-unavailable}, saying which, so the
 * caller (GitHub, Slack, a person) sees a failure to retry rather than a refusal.
 */
@Produces
@Singleton
public class SecretUnavailableHandler implements ExceptionHandler<SecretUnavailable, HttpResponse<ApiError>> {
    private static final Logger LOG = LoggerFactory.getLogger(SecretUnavailableHandler.class);

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, SecretUnavailable exception) {
        LOG.warn("{} {}: {}", request.getMethod(), request.getPath(), exception.getMessage());
        return ApiError.respond(503, "secret-unavailable", exception.getMessage() + "; try again later");
    }
}
