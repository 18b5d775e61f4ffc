package dev.gitops;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.gitops.http.ApiGatewayDomain;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda entry point behind an API Gateway HTTP API (payload format 2.0): the same controllers as the Netty server.
 * Micronaut starts the {@code function} and {@code lambda} environments here, which switches local mode off. Each
 * request tells the controller the API's address ({@link ApiGatewayDomain}), its public URL unless one is configured.
 * Handler: {@code dev.gitops.LambdaHandler::handleRequest}.
 */
public class LambdaHandler extends APIGatewayV2HTTPEventFunction {
    /**
     * Payload format 2.0 moves the request's cookies out of the headers into {@code cookies}; they go back into a
     * {@code Cookie} header here, so controllers read them as behind Netty (the approval page's CSRF cookie).
     */
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event.getRequestContext() != null) {
            getApplicationContext().getBean(ApiGatewayDomain.class).learn(event.getRequestContext().getDomainName(), null);
        }
        List<String> cookies = event.getCookies();
        if (cookies != null && !cookies.isEmpty()) {
            Map<String, String> headers = new HashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
            headers.merge("cookie", String.join("; ", cookies), (present, more) -> present + "; " + more);
            event.setHeaders(headers);
        }
        return super.handleRequest(event, context);
    }

    /** The same behind an API Gateway REST API (payload format 1.0): {@code dev.gitops.LambdaHandler$RestApi::handleRequest}. */
    public static class RestApi extends ApiGatewayProxyRequestEventFunction {
        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            if (event.getRequestContext() != null) {
                getApplicationContext().getBean(ApiGatewayDomain.class).learn(event.getRequestContext().getDomainName(),
                        event.getRequestContext().getStage());
            }
            return super.handleRequest(event, context);
        }
    }
}
