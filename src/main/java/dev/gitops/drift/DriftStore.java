package dev.gitops.drift;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.aws.Tables;
import dev.gitops.execution.PlanResult;
import dev.gitops.store.Item;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The latest drift check of each stack and environment ({@code gitops.tables.drift}, key {@code target}: the lock id
 * {@code <owner>/<repo>/<dir>/<env>}). The deployments table is never written by a drift check.
 */
@Singleton
public class DriftStore {
    /**
     * One stack's latest check.
     *
     * @param summary a sentence: the counts and first addresses of a drifted stack, the error of a failed plan, why a
     *                stack was skipped
     * @param plan    the plan's counts and addresses (drifted), or null
     * @param check   the check's name (the drift execution and the stack's index in it)
     * @param settled the latest in-sync or drifted status (errors and skips leave it): what a change of state is
     *                measured from, so people hear once when a stack drifts and once when it is back in sync
     * @param startedAt when the check's execution started: a check that ends after a newer one records nothing
     */
    public record Check(String target, String repository, String stack, String dir, String environment,
                        DriftStatus status, String sha, String checkedAt, String summary, PlanResult.Summary plan,
                        String check, DriftStatus settled, String startedAt) {
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final ObjectMapper mapper;

    public DriftStore(DynamoDbClient dynamoDb, Tables tables, ObjectMapper mapper) {
        this.dynamoDb = dynamoDb;
        this.table = tables.getDrift();
        this.mapper = mapper;
    }

    /** The latest check of {@code target}, or null. */
    public Check latest(String target) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("target", AttributeValue.fromS(target)))).item();
        return item == null || item.isEmpty() ? null : check(Item.of(item));
    }

    /**
     * Writes {@code c} if the stack's latest check is still {@code previous} (none when null): one conditional write,
     * so two checks ending together cannot both announce the same change.
     *
     * @return false when another check was recorded meanwhile
     */
    public boolean put(Check c, Check previous) {
        Item item = Item.empty().put("target", c.target()).put("repository", text(c.repository()))
                .put("stack", text(c.stack())).put("dir", text(c.dir())).put("environment", text(c.environment()))
                .put("status", c.status().wire()).put("sha", text(c.sha())).put("checkedAt", c.checkedAt())
                .put("summary", text(c.summary())).putJson("plan", c.plan(), mapper).put("check", text(c.check()))
                .put("settled", c.settled() == null ? "" : c.settled().wire()).put("startedAt", text(c.startedAt()));
        try {
            dynamoDb.putItem(b -> {
                b.tableName(table).item(item.values());
                if (previous == null) {
                    b.conditionExpression("attribute_not_exists(target)");
                } else {
                    b.conditionExpression("checkedAt = :before")
                            .expressionAttributeValues(Map.of(":before", AttributeValue.fromS(previous.checkedAt())));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException another) {
            return false;
        }
    }

    /** Every stack's latest check (only {@code environment}'s when not null), by environment and directory. */
    public List<Check> list(String environment) {
        List<Check> out = new ArrayList<>();
        for (var page : dynamoDb.scanPaginator(b -> {
            b.tableName(table);
            if (environment != null) {
                b.filterExpression("environment = :env").expressionAttributeValues(Map.of(":env", AttributeValue.fromS(environment)));
            }
        })) {
            page.items().forEach(values -> out.add(check(Item.of(values))));
        }
        out.sort(Comparator.comparing(Check::environment).thenComparing(Check::repository).thenComparing(Check::dir));
        return out;
    }

    /** The one place a drift item is read. */
    private Check check(Item item) {
        return new Check(item.string("target"), item.string("repository"), item.string("stack"), item.string("dir"),
                item.string("environment"), DriftStatus.named(item.string("status")), item.string("sha"),
                item.string("checkedAt"), item.string("summary"), item.json("plan", PlanResult.Summary.class, mapper),
                item.string("check"), DriftStatus.named(item.string("settled")), item.string("startedAt"));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
