package dev.gitops.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.Await;
import dev.gitops.changes.GitFixture;
import dev.gitops.changes.GitMirror;
import dev.gitops.engine.tasks.BuildRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buildspec against the real Terraform CLI, where one is installed (the tests' double stands in everywhere else):
 * a stack with a local backend and a built-in {@code terraform_data} resource needs no provider download, so this runs
 * offline. Plan (exit code 2, show -json summarized), apply of exactly the saved plan, then a stale plan refused.
 */
class RealTerraformTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Optional<Path> terraform() {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/local/bin"))
                .filter(d -> !d.isBlank()).map(d -> Path.of(d, "terraform")).filter(Files::isExecutable).findFirst();
    }

    @Test
    void planApplyAndAStalePlanWithTheRealCli() throws Exception {
        Optional<Path> binary = terraform();
        Assumptions.assumeTrue(binary.isPresent(), "no terraform binary on this machine: the test double covers the contract");
        Path dir = Await.tempDir("real-terraform");
        Path state = dir.resolve("state/app.tfstate");
        GitFixture git = GitFixture.create(dir.resolve("repos"), "acme/real");
        git.write("infra/app/main.tf", "terraform {\n  backend \"local\" {}\n}\nresource \"terraform_data\" \"web\" {\n  input = \"v1\"\n}\n")
                .write("infra/app/backend_configs/tst.config", "path = \"" + state + "\"\n");
        String sha = git.commit("app");
        git.pushBranch("main");
        ExecutorService executor = Executors.newCachedThreadPool();
        try (GitMirror mirror = new GitMirror(dir.resolve("mirror"), null)) {
            LocalBuildRunner runner = new LocalBuildRunner(mirror, dir.resolve("builds"),
                    Map.of("PLAN_STORE", dir.resolve("plans").toString(), "TF_BINARY", binary.get().toString()),
                    Files.readString(Path.of("infra-templates/buildspec.yml")), "/usr/bin:/bin", executor);
            JsonNode first = MAPPER.readTree(build(runner, git, sha, "plan", Map.of()).exported().get("PLAN_RESULT"));
            JsonNode second = MAPPER.readTree(build(runner, git, sha, "plan", Map.of()).exported().get("PLAN_RESULT"));
            assertEquals(2, first.path("exitCode").asInt());
            assertEquals("terraform_data.web", first.path("summary").path("addresses").path("create").get(0).asText());
            assertEquals(1, first.path("summary").path("add").asInt());

            BuildRunner.Result applied = build(runner, git, sha, "apply", Map.of("PLAN_LOCATION", first.path("location").asText(),
                    "PLAN_SHA256", first.path("sha256").asText()));
            assertEquals("SUCCEEDED", applied.status(), Files.readString(applied.log()));
            assertTrue(Files.readString(state).contains("terraform_data"));

            BuildRunner.Result stale = build(runner, git, sha, "apply", Map.of("PLAN_LOCATION", second.path("location").asText(),
                    "PLAN_SHA256", second.path("sha256").asText()));
            assertEquals("FAILED", stale.status());
            assertTrue(Files.readString(stale.log()).contains("Saved plan is stale"), Files.readString(stale.log()));

            JsonNode again = MAPPER.readTree(build(runner, git, sha, "plan", Map.of()).exported().get("PLAN_RESULT"));
            assertEquals(0, again.path("exitCode").asInt(), "applied: nothing left to change");
        } finally {
            executor.shutdownNow();
        }
    }

    private static BuildRunner.Result build(LocalBuildRunner runner, GitFixture git, String sha, String action,
                                            Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("TF_ACTION", action, "GITOPS_REPOSITORY", "acme/real",
                "STACK_DIR", "infra/app", "BACKEND_CONFIG", "infra/app/backend_configs/tst.config", "VAR_FILE", "",
                "GITOPS_EXECUTION", "real-" + System.nanoTime()));
        env.putAll(more);
        return runner.run(new BuildRunner.Request("gitops-plan:" + java.util.UUID.randomUUID(), "gitops-plan", sha,
                git.remote.toUri().toString(), env, null, 5, new CompletableFuture<>())).join();
    }
}
