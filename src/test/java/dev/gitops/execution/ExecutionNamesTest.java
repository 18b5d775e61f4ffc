package dev.gitops.execution;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutionNamesTest {
    private static final String SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

    @Test
    void aCleanStackNameIsKeptAsIs() {
        assertEquals("prd-network-0d1a26e-72d3162e", ExecutionNames.of("prd", "network", SHA, DELIVERY, "acme/infra/network/prd"));
    }

    @Test
    void otherCharactersBecomeDashesAndTheLockIdsHashIsAppended() {
        String name = ExecutionNames.of("prd", "infra/vpc", SHA, DELIVERY, "acme/infra/infra/vpc/prd");
        assertTrue(name.matches("prd-infra-vpc-0d1a26e-72d3162e-[0-9a-f]{6}"), name);
    }

    @Test
    void namesThatSanitizeAlikeStayDistinct() {
        String a = ExecutionNames.of("tst", "net.a", SHA, DELIVERY, "acme/infra/infra/a/tst");
        String b = ExecutionNames.of("tst", "net/a", SHA, DELIVERY, "acme/infra/infra/b/tst");
        String c = ExecutionNames.of("tst", "net-a", SHA, DELIVERY, "acme/infra/infra/c/tst");
        assertNotEquals(a, b);
        assertNotEquals(a, c);
        assertNotEquals(b, c);
    }

    @Test
    void aLongStackIsCutToEightyCharactersAndStillUnique() {
        String stack = "platform/" + "very-long-component-name-".repeat(6);
        String one = ExecutionNames.of("prd", stack + "one", SHA, DELIVERY, "acme/infra/" + stack + "one/prd");
        String two = ExecutionNames.of("prd", stack + "two", SHA, DELIVERY, "acme/infra/" + stack + "two/prd");
        assertEquals(80, one.length(), one);
        assertTrue(one.matches("[A-Za-z0-9_-]+"), one);
        assertTrue(one.contains("-0d1a26e-72d3162e-"), one);
        assertNotEquals(one, two, "the lock id's hash tells cut names apart");
    }
}
