package dev.gitops.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingTest {
    private static EnvironmentConfiguration env(String name, Integer order, String promotesTo, String... branches) {
        EnvironmentConfiguration c = new EnvironmentConfiguration(name);
        c.setOrder(order);
        c.setBranches(List.of(branches));
        c.setPromotesTo(promotesTo);
        return c;
    }

    private static Routing defaults() {
        return new Routing(List.of(env("prd", 3, null, "main"), env("dev", 1, "tst", "feature/**"),
                env("tst", 2, "prd", "develop")));
    }

    @Test
    void branchesMapToTheirEnvironmentsByTheDefaultRules() {
        Routing routing = defaults();
        assertEquals("dev", routing.environmentFor("feature/JIRA-1/network").orElseThrow().name());
        assertEquals("tst", routing.environmentFor("develop").orElseThrow().name());
        assertEquals("prd", routing.environmentFor("main").orElseThrow().name());
        assertTrue(routing.environmentFor("hotfix/x").isEmpty());
        assertTrue(routing.environmentFor("feature").isEmpty(), "feature/** needs something after the slash");
        assertEquals(List.of("dev", "tst", "prd"), routing.environments().stream().map(Environment::name).toList());
    }

    @Test
    void aNewBranchPromotesToTheLiteralBranchOfTheEnvironmentItNames() {
        Routing routing = defaults();
        assertEquals("develop", routing.environment("dev").orElseThrow().promotionBranch());
        assertEquals("main", routing.environment("tst").orElseThrow().promotionBranch());
        assertEquals(null, routing.environment("prd").orElseThrow().promotionBranch());
    }

    @Test
    void theFirstEnvironmentInOrderWinsWhenGlobsOverlap() {
        Routing routing = new Routing(List.of(env("all", 2, null, "**"), env("prd", 1, null, "main")));
        assertEquals("prd", routing.environmentFor("main").orElseThrow().name());
        assertEquals("all", routing.environmentFor("anything/else").orElseThrow().name());
    }

    @Test
    void badConfigurationFailsAtStartupNamingEveryKey() {
        EnvironmentConfiguration bad = env("Prod", null, null);
        bad.setApproval("sometimes");
        bad.setApprovalTimeout(Duration.ZERO);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Routing(List.of(bad, env("tst", 2, null, "develop"), env("prd", 2, null, "main"))));
        for (String expected : List.of("gitops.environments.Prod: environment names are 1 to 16", "gitops.environments.Prod.order is required",
                "gitops.environments.Prod.branches is empty", "gitops.environments.Prod.approval must be",
                "gitops.environments.Prod.approval-timeout", "gitops.environments.prd.order 2 is also the order of tst")) {
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }
}
