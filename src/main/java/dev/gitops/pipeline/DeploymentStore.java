package dev.gitops.pipeline;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.approval.Decision;
import dev.gitops.aws.Tables;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.execution.ExecutionNames;
import dev.gitops.execution.PlanResult;
import dev.gitops.runtime.WireNames;
import dev.gitops.store.Item;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Deployment records in DynamoDB ({@code gitops.tables.deployments}): one item per applied plan, keyed by target
 * ({@code <owner>/<repo>/<stack dir>/<env>}, the lock id) and {@code at} (ISO time and execution name), with
 * repository, stack, environment, sha, execution, plan summary, approval and outcome.
 */
@Singleton
public class DeploymentStore {
    /** What a deployment record says happened. */
    public enum Outcome {
        /** The approved plan was applied. */
        APPLIED;

        @JsonValue
        public String wire() {
            return WireNames.of(this);
        }
    }

    /**
     * One record; {@code approval} is who decided ({@code auto} for an environment that approves automatically);
     * {@code stackFiles} (the stack with its backend config and var file) and {@code source} (the archive applied)
     * are what drift detection plans again (null in records made before they were kept).
     */
    public record Deployment(String target, String at, String repository, String stack, String dir, String environment,
                             String sha, String execution, PlanResult.Summary planSummary, Decision approval,
                             Outcome outcome, ExecutionInput.Stack stackFiles, ExecutionInput.Source source) {
        /** The record of an applied plan: {@code at} gets the execution's name, so two records never share a key. */
        static Deployment of(PipelineSteps.Run run, String execution, String at) {
            PlanResult result = run.plan() == null ? null : run.plan().result();
            return new Deployment(run.lockId(), at + "#" + ExecutionNames.fromArn(execution), run.repository(),
                    run.stack() == null ? null : run.stack().name(), run.stack() == null ? null : run.stack().dir(),
                    run.environment(), run.sha(), execution, result == null ? null : result.summary(), run.decision(),
                    Outcome.APPLIED, run.stack(), run.source());
        }

        /** When it was applied, without the execution's name. */
        public String time() {
            int hash = at.indexOf('#');
            return hash < 0 ? at : at.substring(0, hash);
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final ObjectMapper mapper;

    public DeploymentStore(DynamoDbClient dynamoDb, Tables tables, ObjectMapper mapper) {
        this.dynamoDb = dynamoDb;
        this.table = tables.getDeployments();
        this.mapper = mapper;
    }

    public void put(Deployment d) {
        Item item = Item.empty().put("target", text(d.target())).put("at", d.at()).put("repository", text(d.repository()))
                .put("stack", text(d.stack())).put("dir", text(d.dir())).put("environment", text(d.environment()))
                .put("sha", text(d.sha())).put("execution", d.execution()).put("outcome", d.outcome().wire())
                .putJson("plan", d.planSummary(), mapper).putJson("approval", d.approval(), mapper)
                .putJson("stackFiles", d.stackFiles(), mapper).putJson("source", d.source(), mapper);
        dynamoDb.putItem(b -> b.tableName(table).item(item.values()));
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
            for (Map<String, AttributeValue> values : page.items()) {
                out.add(deployment(Item.of(values)));
            }
        }
        out.sort(Comparator.comparing(Deployment::at).reversed());
        return out;
    }

    /** The one place a deployment item is read. */
    private Deployment deployment(Item item) {
        return new Deployment(item.string("target"), item.string("at"), item.string("repository"), item.string("stack"),
                item.string("dir"), item.string("environment"), item.string("sha"), item.string("execution"),
                item.json("plan", PlanResult.Summary.class, mapper), item.json("approval", Decision.class, mapper),
                WireNames.named(Outcome.class, item.string("outcome")), item.json("stackFiles", ExecutionInput.Stack.class, mapper),
                item.json("source", ExecutionInput.Source.class, mapper));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
