package dev.gitops.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import dev.gitops.aws.Items;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deployment records in DynamoDB: one item per applied plan, keyed by target ({@code <owner>/<repo>/<stack dir>/<env>},
 * the lock id) and {@code at} (ISO time and execution name), with repository, stack, environment, sha, execution,
 * plan summary, approval and outcome.
 */
public final class DeploymentStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DeploymentStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** One record; {@code approval} is null for an environment that approves automatically. */
    public record Deployment(String target, String at, String repository, String stack, String dir, String environment,
                             String sha, String execution, JsonNode planSummary, JsonNode approval, String outcome) {
        public ObjectNode json() {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("repository", repository).put("stack", stack).put("dir", dir).put("environment", environment)
                    .put("sha", sha).put("execution", execution).put("outcome", outcome)
                    .put("at", at.substring(0, at.indexOf('#') < 0 ? at.length() : at.indexOf('#')));
            node.set("plan", planSummary);
            node.set("approval", approval);
            return node;
        }
    }

    public void put(Deployment d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("target", AttributeValue.fromS(d.target()));
        item.put("at", AttributeValue.fromS(d.at()));
        item.put("repository", AttributeValue.fromS(d.repository()));
        item.put("stack", AttributeValue.fromS(d.stack()));
        item.put("dir", AttributeValue.fromS(d.dir()));
        item.put("environment", AttributeValue.fromS(d.environment()));
        item.put("sha", AttributeValue.fromS(d.sha()));
        item.put("execution", AttributeValue.fromS(d.execution()));
        item.put("outcome", AttributeValue.fromS(d.outcome()));
        item.put("plan", AttributeValue.fromS(d.planSummary() == null ? "null" : d.planSummary().toString()));
        item.put("approval", AttributeValue.fromS(d.approval() == null ? "null" : d.approval().toString()));
        dynamoDb.putItem(b -> b.tableName(table).item(item));
    }

    /** Every record, newest first; only {@code environment}'s when it is not null. */
    public List<Deployment> list(String environment) {
        List<Deployment> out = new ArrayList<>();
        for (var page : dynamoDb.scanPaginator(b -> {
            b.tableName(table);
            if (environment != null) {
                b.filterExpression("environment = :env").expressionAttributeValues(Map.of(":env", AttributeValue.fromS(environment)));
            }
        })) {
            for (Map<String, AttributeValue> item : page.items()) {
                out.add(new Deployment(Items.string(item, "target"), Items.string(item, "at"), Items.string(item, "repository"), Items.string(item, "stack"),
                        Items.string(item, "dir"), Items.string(item, "environment"), Items.string(item, "sha"), Items.string(item, "execution"),
                        Items.json(item, "plan"), Items.json(item, "approval"), Items.string(item, "outcome")));
            }
        }
        out.sort(Comparator.comparing(Deployment::at).reversed());
        return out;
    }


}
