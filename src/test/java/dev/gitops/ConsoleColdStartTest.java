package dev.gitops;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diagram.Layout;
import dev.gitops.web.Pages;
import dev.gitops.web.Templates;
import dev.gitops.webhook.WebhookClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.views.ViewsFilter;
import io.micronaut.views.ViewsRenderer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console stays off the webhook's path in Lambda, where every singleton is created while the function starts:
 * after a cold start that answers health and a webhook, neither the template engine, nor ELK, nor Micronaut Views'
 * filter, nor any console bean exists; the first console page creates the template engine (and only an execution's
 * page loads ELK).
 */
class ConsoleColdStartTest {
    private static final String SECRET = "cold start test secret";
    private static final String READ_TOKEN = "cold start read token";

    /** In a JVM of its own: whatever other tests loaded in this one does not count. */
    @Test
    void aWebhookLoadsNoTemplateEngineNoViewsFilterAndNoConsoleBeanTheFirstPageDoes() throws Exception {
        // the drift page reads the drift table: DynamoDB Local's, empty
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                TestClasspath.of(ConsoleColdStartTest.class), Probe.class.getName(), TestDynamoDb.endpoint().toString(),
                TestDynamoDb.table("cold-drift", "target")).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("cold start probe passed"), out);
    }

    /** The child JVM: a cold start of the Lambda handler, then health, a webhook and a console page. */
    static final class Probe {
        public static void main(String[] args) {
            // nothing before the first page calls AWS: Step Functions leads nowhere, DynamoDB only the drift page reads
            System.setProperty("gitops.tables.drift", args[1]);
            Map.of("aws.region", "us-east-1", "aws.accessKeyId", "test", "aws.secretAccessKey", "test",
                    "gitops.webhook.secret", SECRET, "gitops.api.read-token", READ_TOKEN,
                    "gitops.state-machine-arn", "arn:aws:states:us-east-1:123456789012:stateMachine:gitops-pipeline",
                    "gitops.aws.endpoints.stepfunctions", "http://127.0.0.1:9", "gitops.aws.endpoints.dynamodb", args[0],
                    "gitops.approval.link-secret", "cold start link secret", "gitops.public-url", "https://gitops.example.com")
                    .forEach(System::setProperty);
            LambdaHandler handler = new LambdaHandler();
            try {
                run(handler);
                System.out.println("cold start probe passed");
            } catch (Throwable e) {
                e.printStackTrace(System.out);
                System.exit(1);
            } finally {
                handler.getApplicationContext().close();
            }
            System.exit(0);
        }

        private static void run(LambdaHandler handler) throws Exception {
            APIGatewayV2HTTPResponse health = handler.handleRequest(ApiGatewayEvents.event(
                    "apigateway/http-api-v2-get-health.json", APIGatewayV2HTTPEvent.class), new LambdaHandlerTest.TestLambdaContext());
            assertEquals(200, health.getStatusCode());
            ObjectNode ping = (ObjectNode) ApiGatewayEvents.MAPPER.readTree("{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}");
            APIGatewayV2HTTPResponse pong = handler.handleRequest(ApiGatewayEvents.webhook("ping", WebhookClient.newDelivery(),
                    ping, SECRET), new LambdaHandlerTest.TestLambdaContext());
            assertEquals(200, pong.getStatusCode(), pong.getBody());

            ApplicationContext context = handler.getApplicationContext();
            assertFalse(Templates.created(), "the template engine is created by a webhook");
            assertFalse(Layout.loaded(), "ELK is loaded by a webhook");
            assertFalse(context.containsBean(ViewsFilter.class), "Micronaut Views' filter wraps the webhook's answers");
            for (Class<?> type : List.of(Pages.class, ViewsRenderer.class, Class.forName("dev.gitops.console.ExecutionView"),
                    Class.forName("dev.gitops.console.ExecutionPages"), Class.forName("dev.gitops.console.RecordPages"),
                    Class.forName("dev.gitops.console.LockPages"))) {
                assertTrue(context.getActiveBeanRegistrations(type).isEmpty(), type.getName() + " is created by a webhook");
            }

            APIGatewayV2HTTPEvent drift = ApiGatewayEvents.event("apigateway/http-api-v2-get-health.json", APIGatewayV2HTTPEvent.class);
            drift.setRawPath("/ui/drift");
            drift.getRequestContext().getHttp().setPath("/ui/drift");
            drift.getRequestContext().setRouteKey("GET /ui/{proxy+}");
            Map<String, String> headers = new HashMap<>(drift.getHeaders());
            headers.put("accept", "text/html");
            headers.put("authorization", "Bearer " + READ_TOKEN);
            drift.setHeaders(headers);
            APIGatewayV2HTTPResponse page = handler.handleRequest(drift, new LambdaHandlerTest.TestLambdaContext());
            assertEquals(200, page.getStatusCode(), page.getBody());
            assertTrue(page.getBody().contains("Drift detection has not run"), page.getBody());
            assertTrue(Templates.created(), "the first page creates the template engine");
            assertFalse(Layout.loaded(), "only an execution's page loads ELK");
        }
    }
}
