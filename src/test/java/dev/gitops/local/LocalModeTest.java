package dev.gitops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.TestPorts;
import dev.gitops.engine.data.Json;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local mode as `mvn mn:run` starts it: Netty, the embedded engine and DynamoDB Local, wired through the SDK clients. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalModeTest implements TestPropertyProvider {
    private final Path dataDir = tempDir();
    private final int enginePort = TestPorts.free();
    private final int dynamoPort = TestPorts.free();

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    SfnClient sfn;

    @Inject
    DynamoDbClient dynamoDb;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("gitops.local.data-dir", dataDir.toString(),
                "gitops.local.engine-port", Integer.toString(enginePort),
                "gitops.local.dynamodb-port", Integer.toString(dynamoPort));
    }

    @Test
    void healthSaysWhereTheLocalServicesListen() {
        HttpResponse<String> response = http.toBlocking().exchange("/health", String.class);
        assertEquals(200, response.code());
        JsonNode body = Json.parseTrusted(response.body());
        assertEquals("UP", body.get("status").asText());
        assertEquals("local", body.get("mode").asText());
        assertEquals("http://127.0.0.1:" + enginePort, body.get("engineEndpoint").asText());
        assertEquals("http://127.0.0.1:" + dynamoPort, body.get("dynamodbEndpoint").asText());
        assertTrue(body.get("warnings").get(0).asText().startsWith("every environment's builds run with the operator's"
                + " credentials"), body.toString());
        assertTrue(body.get("buildCredentials").get("prd").get("apply").asText().startsWith("the operator's credentials"));
    }

    @Test
    void thePipelineStateMachineIsCreatedOnTheEmbeddedEngineFromTheRepositoryDefinition() throws IOException {
        DescribeStateMachineResponse machine = sfn.describeStateMachine(b -> b.stateMachineArn(
                "arn:aws:states:us-east-1:123456789012:stateMachine:gitops-pipeline"));
        String file = Files.readString(Path.of("statemachine/pipeline.asl.json"));
        assertEquals(dev.gitops.engine.DefinitionSubstitutions.apply(file, LocalServices.DEFAULT_SUBSTITUTIONS), machine.definition());
        assertFalse(machine.definition().contains("${"), "every placeholder is filled locally");
        assertEquals("ACTIVE", machine.statusAsString());
    }

    @Test
    void theSdkClientsReachDynamoDbLocalAndTheDataLivesInTheDataDirectory() {
        dynamoDb.createTable(b -> b.tableName("probe").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                .keySchema(k -> k.attributeName("id").keyType("HASH")));
        assertTrue(dynamoDb.listTables().tableNames().contains("probe"));
        assertTrue(Files.isDirectory(dataDir.resolve("dynamodb")), "DynamoDB Local keeps its data on disk");
        assertTrue(Files.isDirectory(dataDir.resolve("engine").resolve("state-machines")), "the engine keeps its data on disk");
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("gitops-local");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
