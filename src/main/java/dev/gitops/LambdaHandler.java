package dev.gitops;

import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/**
 * Lambda entry point behind an API Gateway HTTP API (payload format 2.0): the same controllers as the Netty server.
 * Micronaut starts the {@code function} and {@code lambda} environments here, which switches local mode off.
 * Handler: {@code dev.gitops.LambdaHandler::handleRequest}.
 */
public class LambdaHandler extends APIGatewayV2HTTPEventFunction {
    /** The same behind an API Gateway REST API (payload format 1.0): {@code dev.gitops.LambdaHandler$RestApi::handleRequest}. */
    public static class RestApi extends ApiGatewayProxyRequestEventFunction {
    }
}
