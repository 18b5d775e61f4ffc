package dev.gitops.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.changes.GitFixture;
import dev.gitops.changes.GitMirror;
import dev.gitops.engine.tasks.BuildRunner;
import dev.gitops.routing.RunnerEnv;
import dev.gitops.pipeline.BuildFailures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local runner on the real buildspec (infra-templates/buildspec.yml) and a real repository, with the Terraform test
 * double on PATH: plan results, the saved plan and its sha256, apply of exactly that plan, stale and tampered plans,
 * a missing terraform, and buildspec semantics (variables carry across phases, post_build after a failed build).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalBuildRunnerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private Path dir;
    private GitFixture git;
    private GitMirror mirror;
    private String sha;
    private Path state;

    @BeforeAll
    void repository() throws Exception {
        dir = dev.gitops.Await.sharedDir("runner");
        git = GitFixture.create(dir.resolve("repos"), "acme/runner");
        state = dir.resolve("state.json");
        git.write("infra/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\nresource \"null_resource\" \"web\" {\n}\n")
                .write("infra/app/backend_configs/tst.config", "path = \"" + state + "\"\n")
                .write("infra/linger/main.tf", "terraform {\n  backend \"s3\" {}\n}\nresource \"null_resource\" \"x\" {\n}\n# LINGER_PLAN\n");
        sha = git.commit("app");
        git.pushBranch("main");
        mirror = new GitMirror(dir.resolve("mirror"), null);
    }

    @AfterAll
    void close() {
        mirror.close();
        executor.shutdownNow();
    }

    private LocalBuildRunner runner(String path, String buildspec) throws Exception {
        String spec = buildspec != null ? buildspec : Files.readString(Path.of("infra-templates/buildspec.yml"));
        return TestRunners.runner(mirror, LocalProjects.of(Map.of("tst", RunnerEnv.SHARED), dir.resolve("plans"), Map.of()),
                dir, spec, path, executor);
    }

    private BuildRunner.Result run(LocalBuildRunner runner, Map<String, String> variables) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("GITOPS_REPOSITORY", "acme/runner", "STACK_DIR", "infra/app",
                "BACKEND_CONFIG", "infra/app/backend_configs/tst.config", "VAR_FILE", "", "GITOPS_EXECUTION",
                "exec-" + System.nanoTime()));
        env.putAll(variables);
        return runner.run(new BuildRunner.Request("gitops-plan-tst:" + java.util.UUID.randomUUID(), "gitops-plan-tst", sha,
                git.remote.toUri().toString(), env, null, 5, new CompletableFuture<>())).join();
    }

    private static String log(BuildRunner.Result result) throws Exception {
        return Files.readString(result.log(), StandardCharsets.UTF_8);
    }

    @Test
    void aPlanExportsItsResultAndKeepsTheSavedPlanWithItsSha256() throws Exception {
        Files.deleteIfExists(state);
        BuildRunner.Result plan = run(runner(TerraformDouble.path(TerraformDouble.install(dir.resolve("bin"))), null),
                Map.of("TF_ACTION", "plan"));
        assertEquals("SUCCEEDED", plan.status(), log(plan));
        JsonNode result = MAPPER.readTree(plan.exported().get("PLAN_RESULT"));
        assertEquals(2, result.path("exitCode").asInt());
        assertTrue(result.path("changes").asBoolean());
        assertEquals(1, result.path("summary").path("add").asInt());
        assertEquals("null_resource.web", result.path("summary").path("addresses").path("create").get(0).asText());
        Path saved = Path.of(result.path("location").asText());
        assertTrue(Files.exists(saved));
        assertEquals(sha256(saved), result.path("sha256").asText());
        assertFalse(result.toString().contains("s3cr3t"), "show -json's values never leave the build");
        assertTrue(Files.exists(Path.of(saved + ".txt")), "the plan's text is kept beside it for the approval page");
    }

    @Test
    void applyRunsExactlyTheApprovedPlanAndRefusesAStaleOrTamperedOne() throws Exception {
        LocalBuildRunner runner = runner(TerraformDouble.path(TerraformDouble.install(dir.resolve("bin"))), null);
        Files.deleteIfExists(state);
        JsonNode first = MAPPER.readTree(run(runner, Map.of("TF_ACTION", "plan")).exported().get("PLAN_RESULT"));
        JsonNode second = MAPPER.readTree(run(runner, Map.of("TF_ACTION", "plan")).exported().get("PLAN_RESULT"));

        BuildRunner.Result tampered = run(runner, Map.of("TF_ACTION", "apply", "PLAN_LOCATION", first.path("location").asText(),
                "PLAN_SHA256", second.path("sha256").asText().replace('a', 'b').replace('0', '1')));
        assertEquals("FAILED", tampered.status());
        assertTrue(log(tampered).contains("the saved plan is not the approved one"), log(tampered));

        BuildRunner.Result applied = run(runner, Map.of("TF_ACTION", "apply", "PLAN_LOCATION", first.path("location").asText(),
                "PLAN_SHA256", first.path("sha256").asText()));
        assertEquals("SUCCEEDED", applied.status(), log(applied));
        assertTrue(Files.readString(state).contains("null_resource.web"));

        BuildRunner.Result stale = run(runner, Map.of("TF_ACTION", "apply", "PLAN_LOCATION", second.path("location").asText(),
                "PLAN_SHA256", second.path("sha256").asText()));
        assertEquals("FAILED", stale.status());
        assertTrue(log(stale).contains("Saved plan is stale"), log(stale));
    }

    @Test
    void aProcessThePlanLeavesBehindIsEndedBeforeThePlanIsHashedAndStored() throws Exception {
        BuildRunner.Result plan = run(runner(TerraformDouble.path(TerraformDouble.install(dir.resolve("bin"))), null),
                Map.of("TF_ACTION", "plan", "STACK_DIR", "infra/linger", "BACKEND_CONFIG", ""));
        assertEquals("SUCCEEDED", plan.status(), log(plan));
        JsonNode result = MAPPER.readTree(plan.exported().get("PLAN_RESULT"));
        Path text = Path.of(result.path("location").asText() + ".txt");
        Thread.sleep(500);
        assertEquals(result.path("textSha256").asText(), sha256(text), "the text the page will show is the one hashed: "
                + Files.readString(text));
        assertTrue(Files.readString(text).contains("null_resource.x"), Files.readString(text));
    }

    @Test
    void aPlanOnlyRunPlansWithoutTakingTheStateLock() throws Exception {
        LocalBuildRunner runner = runner(TerraformDouble.path(TerraformDouble.install(dir.resolve("bin"))), null);
        BuildRunner.Result planOnly = run(runner, Map.of("TF_ACTION", "plan", "GITOPS_MODE", "plan"));
        BuildRunner.Result deployment = run(runner, Map.of("TF_ACTION", "plan", "GITOPS_MODE", "apply"));
        assertEquals("SUCCEEDED", planOnly.status(), log(planOnly));
        assertFalse(log(planOnly).contains("Acquiring state lock"), log(planOnly));
        assertTrue(log(deployment).contains("Acquiring state lock"), log(deployment));
    }

    @Test
    void aProjectThatDoesNotExistFailsTheBuildNamingTheProjectsThereAre() throws Exception {
        BuildRunner.Result build = runner(null, null).run(new BuildRunner.Request("gitops-plan-qa:" + java.util.UUID.randomUUID(),
                "gitops-plan-qa", sha, git.remote.toUri().toString(), Map.of("GITOPS_REPOSITORY", "acme/runner"), null, 5,
                new CompletableFuture<>())).join();
        assertEquals("FAILED", build.status());
        assertTrue(log(build).contains("there is no build project named 'gitops-plan-qa' (local mode has gitops-apply-tst,"
                + " gitops-plan-tst"), log(build));
    }

    @Test
    void withoutTerraformOnPathThePlanFailsSayingSo() throws Exception {
        BuildRunner.Result plan = run(runner("/usr/bin:/bin", null), Map.of("TF_ACTION", "plan"));
        assertEquals("FAILED", plan.status());
        String cause = new BuildFailures(MAPPER).explain(new BuildFailures.Caught("States.TaskFailed",
                MAPPER.createObjectNode().put("BuildStatus", "FAILED")
                        .set("Logs", MAPPER.createObjectNode().put("DeepLink", plan.log().toUri().toString())).toString()),
                "infra/app", "tst");
        assertTrue(cause.contains("terraform not found on PATH"), cause);
    }

    @Test
    void variablesCarryAcrossPhasesAndPostBuildRunsAfterAFailedBuild() throws Exception {
        String spec = """
                version: 0.2
                env:
                  variables:
                    GREETING: hello
                  exported-variables: [CARRIED, AFTER]
                phases:
                  install:
                    commands:
                      - CARRIED="$GREETING from install"
                  build:
                    commands:
                      - echo "build sees $CARRIED"
                      - false
                      - echo "never printed"
                  post_build:
                    commands:
                      - AFTER=ran
                """;
        BuildRunner.Result result = run(runner("/usr/bin:/bin", spec), Map.of());
        assertEquals("FAILED", result.status());
        assertEquals("hello from install", result.exported().get("CARRIED"));
        assertEquals("ran", result.exported().get("AFTER"));
        String log = log(result);
        assertTrue(log.contains("build sees hello from install"), log);
        assertFalse(log.contains("never printed"), log);
        assertEquals("FAILED", result.phases().stream().filter(p -> p.type().equals("BUILD")).findFirst().orElseThrow().status());
    }

    @Test
    void likeCodeBuildOnlyPlainVariablesAndTheDirectoryCarryFromOneCommandToTheNext() throws Exception {
        String spec = """
                version: 0.2
                phases:
                  build:
                    commands:
                      - mkdir -p sub && cd sub
                      - WORDS=(one two); greet() { echo hi; }; PLAIN="two words"
                      - echo "dir=$(basename "$PWD") plain=$PLAIN array=${WORDS[1]:-lost}"
                      - greet
                """;
        BuildRunner.Result result = run(runner("/usr/bin:/bin", spec), Map.of());
        String log = log(result);
        assertTrue(log.contains("dir=sub plain=two words array=lost"), log);
        assertEquals("FAILED", result.status(), "a function does not survive its command: " + log);
    }

    @Test
    void buildsBeyondTheCapQueueAndSaySo() throws Exception {
        String spec = """
                version: 0.2
                phases:
                  build:
                    commands:
                      - sleep 1
                """;
        LocalBuildRunner one = TestRunners.runner(mirror, LocalProjects.of(Map.of("tst", RunnerEnv.SHARED), dir.resolve("plans"),
                Map.of()), dir, spec, "/usr/bin:/bin", executor, 1);
        List<CompletableFuture<BuildRunner.Result>> builds = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            builds.add(one.run(new BuildRunner.Request("gitops-plan-tst:" + java.util.UUID.randomUUID(), "gitops-plan-tst", sha,
                    git.remote.toUri().toString(), Map.of("GITOPS_REPOSITORY", "acme/runner"), null, 5, new CompletableFuture<>())));
        }
        long queued = 0;
        for (CompletableFuture<BuildRunner.Result> build : builds) {
            BuildRunner.Result result = build.join();
            assertEquals("SUCCEEDED", result.status(), log(result));
            BuildRunner.Phase wait = result.phases().stream().filter(p -> p.type().equals("QUEUED")).findFirst().orElseThrow();
            if (log(result).contains("queued: 1 builds are running")) {
                queued++;
                assertTrue(wait.durationMillis() >= 800, "it waited for the one running: " + wait);
            }
        }
        assertEquals(2, queued, "one ran at a time, the two others queued");
    }

    @Test
    void aCancelledBuildStopsWithEveryCommandItStarted() throws Exception {
        String spec = """
                version: 0.2
                phases:
                  build:
                    commands:
                      - sleep 300 & echo $! > "$CODEBUILD_SRC_DIR/../child.pid"; wait
                """;
        CompletableFuture<Void> cancel = new CompletableFuture<>();
        String id = java.util.UUID.randomUUID().toString();
        CompletableFuture<BuildRunner.Result> build = runner("/usr/bin:/bin", spec).run(new BuildRunner.Request(
                "gitops-plan-tst:" + id, "gitops-plan-tst", sha, git.remote.toUri().toString(),
                Map.of("GITOPS_REPOSITORY", "acme/runner"), null, 5, cancel));
        Path pid = dir.resolve("work").resolve(id).resolve("child.pid");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(pid) || Files.readString(pid).isBlank()) {
            assertTrue(System.nanoTime() < deadline, "the build started its command");
            Thread.sleep(20);
        }
        long child = Long.parseLong(Files.readString(pid).trim());
        cancel.complete(null);
        assertEquals("STOPPED", build.get(20, java.util.concurrent.TimeUnit.SECONDS).status());
        deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "the build's own children are gone");
            Thread.sleep(20);
        }
    }

    @Test
    void buildsOlderThanThirtyDaysAreForgottenAtStartup() throws Exception {
        Path builds = dir.resolve("old").resolve("builds");
        Path old = Files.createDirectories(builds.resolve("old-build"));
        Path recent = Files.createDirectories(builds.resolve("recent-build"));
        Files.writeString(old.resolve("build.log"), "old\n");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(31))));
        TestRunners.runner(mirror, LocalProjects.of(Map.of(), builds, Map.of()), dir.resolve("old"), Files.readString(Path.of("infra-templates/buildspec.yml")), null, executor);
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(recent));
    }

    @Test
    void valuesFromThePushReachCommandsOnlyAsVariables() throws Exception {
        String spec = """
                version: 0.2
                phases:
                  build:
                    commands:
                      - echo "branch is $GITOPS_BRANCH"
                """;
        BuildRunner.Result result = run(runner("/usr/bin:/bin", spec), Map.of("GITOPS_BRANCH", "feature/$(touch${IFS}pwned)"));
        assertEquals("SUCCEEDED", result.status());
        assertTrue(log(result).contains("branch is feature/$(touch${IFS}pwned)"), log(result));
        try (var files = Files.walk(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().equals("pwned")));
        }
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
