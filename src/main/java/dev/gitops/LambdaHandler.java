package dev.gitops;

import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/**
 * Lambda entry point behind an API Gateway HTTP API (payload format 2.0): the same controllers as the Netty server.
 * Micronaut starts the {@code function} and {@code lambda} environments here, which switches local mode off.
 * Handler: {@code dev.gitops.LambdaHandler::handleRequest}.
 */
public class LambdaHandler extends APIGatewayV2HTTPEventFunction {
    /**
     * Payload format 2.0 moves the request's cookies out of the headers into {@code cookies}; they go back into a
     * {@code Cookie} header here, so controllers read them as behind Netty (the approval page's CSRF cookie).
     */
    @Override
    public com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse handleRequest(
            com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent event,
            com.amazonaws.services.lambda.runtime.Context context) {
        java.util.List<String> cookies = event.getCookies();
        if (cookies != null && !cookies.isEmpty()) {
            java.util.Map<String, String> headers = new java.util.HashMap<>(event.getHeaders() == null ? java.util.Map.of() : event.getHeaders());
            headers.merge("cookie", String.join("; ", cookies), (present, more) -> present + "; " + more);
            event.setHeaders(headers);
        }
        return super.handleRequest(event, context);
    }

    /** The same behind an API Gateway REST API (payload format 1.0): {@code dev.gitops.LambdaHandler$RestApi::handleRequest}. */
    public static class RestApi extends ApiGatewayProxyRequestEventFunction {
    }
}
