package dev.gitops;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.gitops.http.ApiGatewayDomain;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.Environment;
import io.micronaut.function.aws.MicronautLambdaContext;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda entry point behind an API Gateway HTTP API (payload format 2.0): the same controllers as the Netty server.
 * Micronaut starts the {@code function} and {@code lambda} environments here, which switches local mode off. Each
 * request tells the controller the API's address ({@link ApiGatewayDomain}), its public URL unless one is configured.
 * Handler: {@code dev.gitops.LambdaHandler::handleRequest}.
 *
 * <p>Beans are created when a request first needs them, not all at init as Micronaut's Lambda builder would have it
 * ({@link #lean}): a ping builds no SDK client, no git mirror, no approval page. With SnapStart, {@link SnapStartPriming}
 * creates them before the snapshot instead.
 *
 * <p>Lambda calls {@link #handleRequest(InputStream, OutputStream, Context)} (of the overloads, the one with the most
 * parameters): the event is read and the answer written by the controller's own Jackson, rather than by the runtime's
 * serializer, which loads some 700 classes of its own at a cold start.
 */
public class LambdaHandler extends APIGatewayV2HTTPEventFunction implements RequestStreamHandler {
    /** API Gateway's events and answers as the runtime's serializer reads and writes them: unknown fields ignored, no nulls. */
    private final ObjectMapper events = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    public LambdaHandler() {
        // with SnapStart, the priming sends a signed ping through this handler before the snapshot
        getApplicationContext().findBean(SnapStartPriming.class).ifPresent(priming -> priming.throughHandler(event -> handleRequest(event, null)));
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return lean();
    }

    /**
     * Micronaut's Lambda context ({@code LambdaApplicationContextBuilder}: environments {@code function} and
     * {@code lambda}, configuration read and validated at init) without its eager singletons, which cannot be switched
     * off once on.
     */
    static ApplicationContextBuilder lean() {
        return ApplicationContext.builder().environments(Environment.FUNCTION, MicronautLambdaContext.ENVIRONMENT_LAMBDA)
                .eagerInitConfiguration(true);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        APIGatewayV2HTTPResponse response = handleRequest(events.readValue(input, APIGatewayV2HTTPEvent.class), context);
        events.writeValue(output, response);
    }

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
        protected ApplicationContextBuilder newApplicationContextBuilder() {
            return lean();
        }

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
