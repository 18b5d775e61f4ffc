package dev.gitops.changes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A push reaches only its own environment, on the two repository layouts users have (default environments and
 * aliases): per-environment directories ({@code environments/dev|stage|prod}) and stacks sharing root-level
 * {@code backend_configs/} and {@code env_specific_vars/}. Real throwaway repositories, one sentence per case.
 */
class EnvironmentIsolationTest {
    private static final String REPO = "acme/infra";
    private static final Map<String, String> BRANCHES = Map.of("dev", "feature/x", "tst", "develop", "prd", "main");

    record Case(String sentence, Function<GitFixture, String> layout, String env, Consumer<GitFixture> edit,
                Map<String, List<String>> stacks, Map<String, String> skipped) {
        @Override
        public String toString() {
            return sentence;
        }
    }

    static Map<String, List<String>> stacks(Object... nameThenReasons) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenReasons.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> reasons = (List<String>) nameThenReasons[i + 1];
            map.put((String) nameThenReasons[i], reasons);
        }
        return map;
    }

    static Map<String, String> skipped(String... dirThenReason) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < dirThenReason.length; i += 2) {
            map.put(dirThenReason[i], dirThenReason[i + 1]);
        }
        return map;
    }

    static final Function<GitFixture, String> PER_ENV = GitFixture::perEnvironmentLayout;
    static final Function<GitFixture, String> SHARED = GitFixture::sharedEnvFilesLayout;
    static final String MODULE = "resource \"terraform_data\" \"vpc\" {\n  input = \"changed\"\n}\n";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a feature branch editing prod's backend runs nothing in dev and says whose it is", PER_ENV, "dev",
                        g -> g.write("environments/prod/backend.tf", "terraform {\n  backend \"s3\" {}\n}\n"),
                        stacks(), skipped("environments/prod", "belongs to environment prd")),
                new Case("a module change on a feature branch runs only dev's directory", PER_ENV, "dev",
                        g -> g.write("modules/network/main.tf", MODULE),
                        stacks("environments/dev", List.of("uses module modules/network (changed modules/network/main.tf)")),
                        skipped("environments/stage", "belongs to environment tst", "environments/prod", "belongs to environment prd")),
                new Case("a module change on develop runs only stage, the alias of tst", PER_ENV, "tst",
                        g -> g.write("modules/network/main.tf", MODULE),
                        stacks("environments/stage", List.of("uses module modules/network (changed modules/network/main.tf)")),
                        skipped("environments/dev", "belongs to environment dev", "environments/prod", "belongs to environment prd")),
                new Case("a module change on main runs only prod, the alias of prd", PER_ENV, "prd",
                        g -> g.write("modules/network/main.tf", MODULE),
                        stacks("environments/prod", List.of("uses module modules/network (changed modules/network/main.tf)")),
                        skipped("environments/dev", "belongs to environment dev", "environments/stage", "belongs to environment tst")),
                new Case("an environment's own terraform.tfvars marks its directory like any file in it", PER_ENV, "prd",
                        g -> g.write("environments/prod/terraform.tfvars", "region = \"us-east-1\"\n"),
                        stacks("environments/prod", List.of("changed environments/prod/terraform.tfvars")), skipped()),
                new Case("a directory of an environment nobody configured never runs", PER_ENV, "prd",
                        g -> g.write("environments/qa/backend.tf", "terraform {\n  backend \"s3\" {}\n}\n"),
                        stacks(), skipped("environments/qa", "belongs to no configured environment: qa")),
                new Case("envs/ and env/ directories belong to their environments too", PER_ENV, "dev",
                        g -> g.write("envs/production/backend.tf", "terraform {\n  backend \"s3\" {}\n}\n")
                                .write("env/development/backend.tf", "terraform {\n  backend \"s3\" {}\n}\n"),
                        stacks("env/development", List.of("changed env/development/backend.tf")),
                        skipped("envs/production", "belongs to environment prd")),
                new Case("a .gitops.yml listing prod's directory does not run it from a feature branch", PER_ENV, "dev",
                        g -> g.write(".gitops.yml", "stacks:\n  - name: everything\n    dir: environments/prod\n")
                                .write("environments/prod/main.tf", "# pushed from a feature branch\n"),
                        stacks(), skipped("environments/prod", "belongs to environment prd")),
                new Case("a .gitops.yml stack that is a symlink to prod's directory does not run from a feature branch", PER_ENV, "dev",
                        g -> g.write(".gitops.yml", "stacks:\n  - name: sneaky\n    dir: sneaky\n    when_modified: [\"**\"]\n")
                                .symlink("sneaky", "environments/prod"),
                        stacks(), skipped("sneaky", "is not a directory in this commit")),
                new Case("an {env} directory in .gitops.yml finds the environment's alias", PER_ENV, "prd",
                        g -> g.write(".gitops.yml", "stacks:\n  - name: network\n    dir: environments/{env}\n")
                                .write("environments/prod/main.tf", "# changed\n"),
                        stacks("network", List.of("changed environments/prod/main.tf")), skipped()),
                new Case("a root-level var file change runs every stack that uses it, in its environment", SHARED, "tst",
                        g -> g.write("env_specific_vars/tst.tfvars", "cidr = \"10.9.0.0/16\"\n"),
                        stacks("network", List.of("env file env_specific_vars/tst.tfvars"),
                                "tf_remote_backend", List.of("env file env_specific_vars/tst.tfvars")), skipped()),
                new Case("a root-level backend config of another environment runs nothing", SHARED, "tst",
                        g -> g.write("backend_configs/prd.config", "key = \"moved\"\n"), stacks(), skipped()),
                new Case("a stack's own env file shadows the root's, so a root change skips that stack", SHARED, "prd",
                        g -> g.write("network/env_specific_vars/prd.tfvars", "cidr = \"10.1.0.0/16\"\n")
                                .write("env_specific_vars/prd.tfvars", "cidr = \"10.7.0.0/16\"\n"),
                        stacks("network", List.of("env file network/env_specific_vars/prd.tfvars"),
                                "tf_remote_backend", List.of("env file env_specific_vars/prd.tfvars")), skipped()));
    }

    private static Detection.Stacks detect(GitFixture git, GitMirror mirror, Function<GitFixture, String> layout, String env,
                                           Consumer<GitFixture> edit) throws Exception {
        String before = layout.apply(git);
        String branch = BRANCHES.get(env);
        if (!branch.equals("main")) {
            git.checkout(branch, true);
        }
        edit.accept(git);
        String after = git.commit("change");
        git.pushBranch(branch);
        Detection detection = new ChangeDetector(mirror, TestEnvironments.DEFAULTS).detect(new ChangeRequest(REPO, git.url(),
                "refs/heads/" + branch, before, after, null, false, env));
        return ChangeDetectorTest.stacks(detection);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onlyThePushedEnvironmentRuns(Case c) throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null)) {
            Detection.Stacks found = detect(git, mirror, c.layout(), c.env(), c.edit());
            Map<String, List<String>> stacks = new LinkedHashMap<>();
            found.stacks().forEach(s -> stacks.put(s.name(), s.reasons()));
            Map<String, String> skipped = new LinkedHashMap<>();
            found.skipped().forEach(s -> skipped.put(s.dir(), s.reason()));
            assertEquals(c.stacks(), stacks);
            assertEquals(c.skipped(), skipped);
        }
    }

    @Test
    void theExecutionInputNamesTheRootLevelFilesOfTheEnvironment() throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null)) {
            StackChange network = detect(git, mirror, SHARED, "tst", g -> g.write("network/main.tf",
                    "terraform {\n  backend \"s3\" {}\n}\nvariable \"cidr\" {}\n# v2\n")).stacks().get(0);
            assertEquals("backend_configs/tst.config", network.backendConfig());
            assertEquals("env_specific_vars/tst.tfvars", network.varFile());
        }
    }

    @Test
    void anAliasNamesTheEnvironmentsFilesToo() throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null)) {
            StackChange network = detect(git, mirror, g -> {
                g.write("network/main.tf", "terraform {\n  backend \"s3\" {}\n}\n")
                        .write("backend_configs/prod.config", "key = \"prod\"\n")
                        .write("env_specific_vars/production.tfvars", "x = 1\n");
                String sha = g.commit("aliases");
                g.pushBranch("main");
                return sha;
            }, "prd", g -> g.write("backend_configs/prod.config", "key = \"prod/network\"\n")).stacks().get(0);
            assertEquals("env file backend_configs/prod.config", network.reasons().get(0));
            assertEquals("backend_configs/prod.config", network.backendConfig());
            assertEquals("env_specific_vars/production.tfvars", network.varFile());
        }
    }

    @Test
    void aStackDirectoryIsCanonicalSoOneDirectoryIsOneLock() throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null)) {
            StackChange network = detect(git, mirror, SHARED, "prd", g -> g.write(".gitops.yml",
                    "stacks:\n  - name: network\n    dir: ./network//./\n").write("network/main.tf", "# v3\n")).stacks().get(0);
            assertEquals("network", network.dir());
        }
    }
}
