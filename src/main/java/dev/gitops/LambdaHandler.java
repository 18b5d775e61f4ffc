package dev.gitops;

import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;

/**
 * Lambda entry point behind API Gateway (REST API, payload format 1.0): the same controllers as the Netty server.
 * Micronaut starts the {@code function} and {@code lambda} environments here, which switches local mode off.
 */
public class LambdaHandler extends ApiGatewayProxyRequestEventFunction {
}
