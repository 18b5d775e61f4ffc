package dev.gitops;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A wrong setting stops the controller as it starts, with a message that names the key. */
class ConfigurationCheckTest {
    record Case(String key, String value, String expected) {
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("gitops.public-url", "ftp://example.com", "gitops.public-url"),
                new Case("gitops.slack.webhook-url", "hooks.slack.com/x", "gitops.slack.webhook-url"),
                new Case("gitops.github.api-url", "api.github.com", "gitops.github.api-url"),
                new Case("gitops.aws.endpoints.dynamodb", "localhost:8000", "gitops.aws.endpoints.dynamodb"),
                new Case("gitops.approval.link-secret", "short", "gitops.approval.link-secret"),
                new Case("gitops.state-machine-arn", "gitops-pipeline", "gitops.state-machine-arn"),
                new Case("gitops.environments.prd.approval", "sometimes", "gitops.environments.prd.approval"),
                new Case("gitops.environments.prd.aliases", "Prod Env", "gitops.environments.prd.aliases"),
                new Case("gitops.environments.tst.aliases", "prod", "'prod' is also an alias of"),
                new Case("gitops.environments.prd.runner-env.deploy", "x", "gitops.environments.prd.runner-env.deploy"),
                new Case("gitops.environments.prd.runner-env.plan", "AWS_PROFILE=x,lower=y", "gitops.environments.prd.runner-env.plan"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aWrongValueStopsTheStartNamingTheKey(Case c) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                Map.of("gitops.local.enabled", "false", c.key(), c.value())).close());
        String message = messages(e);
        assertTrue(message.contains(c.expected()), message);
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
