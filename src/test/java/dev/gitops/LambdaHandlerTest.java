package dev.gitops;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.engine.data.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Lambda entry point, driven through the real handler with a recorded API Gateway (REST, payload 1.0) event. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaHandlerTest {
    private LambdaHandler handler;

    @BeforeAll
    void start() {
        // The Lambda runtime always sets AWS_REGION; the SDK clients are built eagerly in the function environment.
        System.setProperty("aws.region", "us-east-1");
        handler = new LambdaHandler();
    }

    @AfterAll
    void stop() {
        handler.getApplicationContext().close();
        System.clearProperty("aws.region");
    }

    @Test
    void healthAnswersThroughApiGatewayWithoutStartingLocalServices() throws Exception {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event("apigateway/get-health.json"), new TestLambdaContext());
        assertEquals(200, response.getStatusCode());
        JsonNode body = Json.parseTrusted(response.getBody());
        assertEquals("UP", body.get("status").asText());
        assertEquals("aws", body.get("mode").asText());
    }

    private static APIGatewayProxyRequestEvent event(String resource) throws Exception {
        try (InputStream in = LambdaHandlerTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(in, APIGatewayProxyRequestEvent.class);
        }
    }

    /** A test double for the Lambda runtime's context object (the runtime itself cannot run here). */
    static final class TestLambdaContext implements Context {
        public String getAwsRequestId() {
            return "c6af9ac6-7b61-11e6-9a41-93e812345678";
        }

        public String getLogGroupName() {
            return "/aws/lambda/gitops-webhook";
        }

        public String getLogStreamName() {
            return "2026/11/22/[$LATEST]test";
        }

        public String getFunctionName() {
            return "gitops-webhook";
        }

        public String getFunctionVersion() {
            return "$LATEST";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:gitops-webhook";
        }

        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
            return null;
        }

        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return 29_000;
        }

        public int getMemoryLimitInMB() {
            return 1024;
        }

        public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
            return new com.amazonaws.services.lambda.runtime.LambdaLogger() {
                public void log(String message) {
                    System.out.println(message);
                }

                public void log(byte[] message) {
                    System.out.println(new String(message, java.nio.charset.StandardCharsets.UTF_8));
                }
            };
        }
    }
}
