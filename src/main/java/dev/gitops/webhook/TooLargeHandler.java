package dev.gitops.webhook;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A body over the server's limit ({@code gitops.webhook.max-body}) is refused before it is read: 413, in our shape. */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
public class TooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<Answer>> {
    @Override
    public HttpResponse<Answer> handle(HttpRequest request, ContentLengthExceededException exception) {
        return WebhookController.respond(new Answer.Failure(413, "payload-too-large", exception.getMessage()
                + " (gitops.webhook.max-body; behind API Gateway, Lambda accepts at most 6 MB)"));
    }
}
