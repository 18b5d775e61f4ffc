package dev.gitops.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A body over the server's limit ({@code gitops.webhook.max-body}) is refused before it is read: 413, in our shape. */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
public class TooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<ObjectNode>> {
    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, ContentLengthExceededException exception) {
        Answer answer = Answer.error(413, "payload-too-large", exception.getMessage()
                + " (gitops.webhook.max-body; behind API Gateway, Lambda accepts at most 6 MB)");
        return HttpResponse.<ObjectNode>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(answer.body());
    }
}
