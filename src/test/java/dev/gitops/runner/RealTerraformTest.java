package dev.gitops.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.Await;
import dev.gitops.changes.ChangeDetector;
import dev.gitops.changes.ChangeRequest;
import dev.gitops.changes.Detection;
import dev.gitops.changes.GitFixture;
import dev.gitops.changes.GitMirror;
import dev.gitops.changes.StackChange;
import dev.gitops.changes.TestEnvironments;
import dev.gitops.engine.tasks.BuildRunner;
import dev.gitops.routing.RunnerEnv;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        Path dir = Await.sharedDir("real-terraform");
        Path state = dir.resolve("state/app.tfstate");
        GitFixture git = GitFixture.create(dir.resolve("repos"), "acme/real");
        git.write("infra/app/main.tf", "terraform {\n  backend \"local\" {}\n}\nresource \"terraform_data\" \"web\" {\n  input = \"v1\"\n}\n")
                .write("infra/app/backend_configs/tst.config", "path = \"" + state + "\"\n");
        String sha = git.commit("app");
        git.pushBranch("main");
        ExecutorService executor = Executors.newCachedThreadPool();
        try (GitMirror mirror = new GitMirror(dir.resolve("mirror"), null)) {
            LocalBuildRunner runner = TestRunners.runner(mirror,
                    LocalProjects.of(Map.of("tst", RunnerEnv.SHARED), dir.resolve("plans"), Map.of("TF_BINARY", binary.get().toString())),
                    dir, Files.readString(Path.of("infra-templates/buildspec.yml")), "/usr/bin:/bin", executor);
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

    @Test
    void aStackUsingRootLevelSharedBackendConfigAndVarFilesPlansAndAppliesWithTheRealCli() throws Exception {
        Optional<Path> binary = terraform();
        Assumptions.assumeTrue(binary.isPresent(), "no terraform binary on this machine: the test double covers the contract");
        Path dir = Await.sharedDir("real-terraform-shared");
        Path state = dir.resolve("state/network-tst.tfstate");
        GitFixture git = GitFixture.create(dir.resolve("repos"), "acme/real");
        git.write("network/main.tf", "terraform {\n  backend \"local\" {}\n}\nvariable \"cidr\" {}\n"
                        + "resource \"terraform_data\" \"vpc\" {\n  input = var.cidr\n}\n")
                .write("tf_remote_backend/main.tf", "terraform {\n  backend \"local\" {}\n}\n")
                .write("backend_configs/tst.config", "path = \"" + state + "\"\n")
                .write("backend_configs/prd.config", "path = \"" + dir.resolve("state/never-prd.tfstate") + "\"\n")
                .write("env_specific_vars/tst.tfvars", "cidr = \"10.1.0.0/16\"\n")
                .write("env_specific_vars/prd.tfvars", "cidr = \"10.2.0.0/16\"\n");
        String base = git.commit("shared env files");
        git.pushBranch("develop");
        git.write("env_specific_vars/tst.tfvars", "cidr = \"10.9.0.0/16\"\n");
        String sha = git.commit("widen tst");
        git.pushBranch("develop");
        ExecutorService executor = Executors.newCachedThreadPool();
        try (GitMirror mirror = new GitMirror(dir.resolve("mirror"), null)) {
            Detection.Stacks found = (Detection.Stacks) new ChangeDetector(mirror, TestEnvironments.DEFAULTS).detect(
                    new ChangeRequest("acme/real", git.url(), "refs/heads/develop", base, sha, null, false, "tst"));
            StackChange network = found.stacks().stream().filter(s -> s.dir().equals("network")).findFirst().orElseThrow();
            assertEquals("backend_configs/tst.config", network.backendConfig());
            assertEquals("env_specific_vars/tst.tfvars", network.varFile());
            LocalBuildRunner runner = TestRunners.runner(mirror,
                    LocalProjects.of(Map.of("tst", RunnerEnv.SHARED), dir.resolve("plans"), Map.of("TF_BINARY", binary.get().toString())),
                    dir, Files.readString(Path.of("infra-templates/buildspec.yml")), "/usr/bin:/bin", executor);
            Map<String, String> stack = Map.of("STACK_DIR", network.dir(), "BACKEND_CONFIG", network.backendConfig(),
                    "VAR_FILE", network.varFile());
            BuildRunner.Result planned = build(runner, git, sha, "plan", stack);
            assertEquals("SUCCEEDED", planned.status(), Files.readString(planned.log()));
            JsonNode plan = MAPPER.readTree(planned.exported().get("PLAN_RESULT"));
            Map<String, String> apply = new LinkedHashMap<>(stack);
            apply.put("PLAN_LOCATION", plan.path("location").asText());
            apply.put("PLAN_SHA256", plan.path("sha256").asText());
            BuildRunner.Result applied = build(runner, git, sha, "apply", apply);
            assertEquals("SUCCEEDED", applied.status(), Files.readString(applied.log()));
            assertTrue(Files.readString(state).contains("10.9.0.0/16"), "tst's state holds tst's variables");
            assertFalse(Files.exists(dir.resolve("state/never-prd.tfstate")), "prd's backend was never touched");
        } finally {
            executor.shutdownNow();
        }
    }

    private static BuildRunner.Result build(LocalBuildRunner runner, GitFixture git, String sha, String action,
                                            Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("TF_ACTION", action, "GITOPS_REPOSITORY", "acme/real",
                "STACK_DIR", "infra/app", "BACKEND_CONFIG", "infra/app/backend_configs/tst.config", "VAR_FILE", "",
                "GITOPS_MODE", "apply", "GITOPS_EXECUTION", "real-" + System.nanoTime()));
        env.putAll(more);
        return runner.run(new BuildRunner.Request("gitops-plan-tst:" + java.util.UUID.randomUUID(), "gitops-plan-tst", sha,
                git.remote.toUri().toString(), env, null, 5, new CompletableFuture<>())).join();
    }
}
