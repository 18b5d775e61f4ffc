package dev.gitops.local;

import dev.gitops.TestDynamoDb;
import dev.gitops.approval.ApprovalStore;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Local startup creates the tables, and gives a table from an earlier version the indexes it lacks. */
class LocalTablesTest {
    @Test
    void anApprovalsTableFromAnEarlierVersionGainsItsIndexes() {
        String table = TestDynamoDb.table("old-approvals", "id");
        LocalTables.create(TestDynamoDb.client(), table, "id", null, "purgeAt", ApprovalStore.BY_LOCK, "lockId",
                ApprovalStore.BY_EXECUTION, "execution");
        Set<String> indexes = TestDynamoDb.client().describeTable(b -> b.tableName(table)).table().globalSecondaryIndexes()
                .stream().map(i -> i.indexName()).collect(Collectors.toSet());
        assertEquals(Set.of(ApprovalStore.BY_LOCK, ApprovalStore.BY_EXECUTION), indexes);
    }
}
