package dev.gitops.runner;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a build's process inherits from the controller's environment: only what CodeBuild's would. */
class BuildProcessTest {
    private static final Map<String, String> CONTROLLER = Map.of("PATH", "/usr/bin:/bin", "HOME", "/root",
            "AWS_ACCESS_KEY_ID", "AKIAOPERATOR", "AWS_SECRET_ACCESS_KEY", "operator-secret", "AWS_PROFILE", "admin",
            "AWS_REGION", "eu-west-1", "GITOPS_WEBHOOK_SECRET", "webhook-secret", "GITOPS_ADMIN_TOKEN", "admin-token",
            "TF_LOG", "INFO");

    private static String environmentOfABuild(boolean ownCredentials, Map<String, String> variables) throws Exception {
        Path dir = Files.createTempDirectory("process");
        Path log = dir.resolve("build.log");
        BuildProcess.Outcome outcome = new BuildProcess(null, CONTROLLER).run(List.of("bash", "-c", "env | sort"), dir, log,
                variables, ownCredentials, 1, new CompletableFuture<>());
        assertEquals(BuildProcess.Outcome.SUCCEEDED, outcome);
        return Files.readString(log);
    }

    @Test
    void aBuildNeverSeesTheControllersSecrets() throws Exception {
        String env = environmentOfABuild(false, Map.of());
        assertFalse(env.contains("GITOPS_"), env);
        assertTrue(env.contains("AWS_REGION=eu-west-1") && env.contains("TF_LOG=INFO"), env);
        assertTrue(env.contains("AWS_ACCESS_KEY_ID=AKIAOPERATOR"), "without credentials of its own: the operator's");
    }

    @Test
    void anEnvironmentWithCredentialsOfItsOwnNeverInheritsTheOperators() throws Exception {
        String env = environmentOfABuild(true, Map.of("AWS_PROFILE", "prd-readonly"));
        assertFalse(env.contains("AKIAOPERATOR") || env.contains("operator-secret") || env.contains("AWS_PROFILE=admin"), env);
        assertTrue(env.contains("AWS_PROFILE=prd-readonly"), env);
        assertTrue(env.contains("AWS_REGION=eu-west-1"), "settings that are not credentials still pass: " + env);
    }
}
