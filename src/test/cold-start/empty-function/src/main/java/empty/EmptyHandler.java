package empty;

import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/** The Lambda entry: Micronaut's api-proxy handler for HTTP API events (payload format 2.0), as the controller's. */
public class EmptyHandler extends APIGatewayV2HTTPEventFunction {
}
