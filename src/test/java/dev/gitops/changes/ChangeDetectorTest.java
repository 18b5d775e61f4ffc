package dev.gitops.changes;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Change detection on real throwaway repositories: each case pushes commits to a bare remote and detects. */
class ChangeDetectorTest {
    private static final EnvironmentNames ENVIRONMENTS = TestEnvironments.DEFAULTS;
    private static final String REPO = "acme/infra";

    /** The starting point of every case, on main and develop. */
    static String base(GitFixture git) {
        return git.sampleInfrastructure();
    }

    static ChangeRequest push(String branch, String before, String after, String env) {
        return new ChangeRequest(REPO, "unused", "refs/heads/" + branch, before, after, null, false, env);
    }

    record Case(String sentence, Function<GitFixture, ChangeRequest> scenario, Map<String, List<String>> expected,
                List<String> removed) {
        Case(String sentence, Function<GitFixture, ChangeRequest> scenario, Map<String, List<String>> expected) {
            this(sentence, scenario, expected, List.of());
        }

        @Override
        public String toString() {
            return sentence;
        }
    }

    /** Commits one change on main and pushes it, for environment {@code env}. */
    static Function<GitFixture, ChangeRequest> change(String env, java.util.function.Consumer<GitFixture> edit) {
        return git -> {
            String before = base(git);
            edit.accept(git);
            String after = git.commit("change");
            git.pushBranch("main");
            return push("main", before, after, env);
        };
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

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a change in a stack marks that stack",
                        change("prd", g -> g.write("infra/dns/main.tf", "terraform {\n  backend \"s3\" {}\n}\n# more\n")),
                        stacks("infra/dns", List.of("changed infra/dns/main.tf"))),
                new Case("a module change marks the stacks that use it",
                        change("prd", g -> g.write("modules/network/outputs.tf", "output \"id\" { value = 1 }\n")),
                        stacks("infra/vpc", List.of("uses module modules/network (changed modules/network/outputs.tf)"))),
                new Case("a module used through another module marks the stack transitively",
                        change("prd", g -> g.write("modules/base/variables.tf", "variable \"x\" {}\n")),
                        stacks("infra/vpc", List.of("uses module modules/base (changed modules/base/variables.tf)"))),
                new Case("an env file marks the stack in its own environment",
                        change("tst", g -> g.write("infra/vpc/env_specific_vars/tst.tfvars", "cidr = \"10.9.0.0/16\"\n")),
                        stacks("infra/vpc", List.of("env file infra/vpc/env_specific_vars/tst.tfvars"))),
                new Case("an env file of another environment marks nothing",
                        change("prd", g -> g.write("infra/vpc/env_specific_vars/tst.tfvars", "cidr = \"10.9.0.0/16\"\n")),
                        stacks()),
                new Case("a per-environment directory runs in its environment",
                        change("prd", g -> g.write("environments/prd/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n#x\n")),
                        stacks("environments/prd/app", List.of("changed environments/prd/app/main.tf"))),
                new Case("a per-environment directory does not run in another environment",
                        change("dev", g -> g.write("environments/prd/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n#x\n")),
                        stacks()),
                new Case("an {env} directory in .gitops.yml resolves per environment",
                        change("prd", g -> g.write(".gitops.yml", "stacks:\n  - name: app\n    dir: environments/{env}/app\n")
                                .write("environments/prd/app/vars.tf", "variable \"y\" {}\n")),
                        stacks("app", List.of("changed environments/prd/app/vars.tf"))),
                new Case("a rename counts both paths",
                        change("prd", g -> g.move("infra/dns/records.tf", "infra/vpc/records.tf")),
                        stacks("infra/vpc", List.of("changed infra/vpc/records.tf"),
                                "infra/dns", List.of("changed infra/dns/records.tf"))),
                new Case("a deleted stack is not run and is reported removed",
                        change("prd", g -> g.delete("infra/dns")),
                        stacks(), List.of("infra/dns")),
                new Case("a change outside every stack marks nothing",
                        change("prd", g -> g.write("README.md", "# infra, documented\n")),
                        stacks()),
                new Case("when_modified globs and depends_on in .gitops.yml mark stacks",
                        change("prd", g -> g.write(".gitops.yml", """
                                        stacks:
                                          - name: vpc
                                            dir: infra/vpc
                                            when_modified: ["shared/*.tfvars"]
                                          - name: dns
                                            dir: infra/dns
                                            depends_on: [vpc]
                                        """)
                                .write("shared/common.tfvars", "region = \"us-east-1\"\n")),
                        stacks("vpc", List.of("matches when_modified shared/*.tfvars (changed shared/common.tfvars)"),
                                "dns", List.of("depends on stack vpc"))),
                new Case("a new branch is compared with its merge base with the branch it promotes to", git -> {
                    base(git);
                    git.checkout("develop", true).write("infra/vpc/notes.tf", "# on develop\n");
                    git.commit("develop moves on");
                    git.pushBranch("develop");
                    git.checkout("feature/dns", true).write("infra/dns/main.tf", "terraform {\n  backend \"s3\" {}\n}\n#f\n");
                    String after = git.commit("feature");
                    git.pushBranch("feature/dns");
                    return new ChangeRequest(REPO, "unused", "refs/heads/feature/dns", ChangeRequest.ZEROS, after,
                            "refs/heads/develop", false, "dev");
                }, stacks("infra/dns", List.of("changed infra/dns/main.tf"))),
                new Case("a new branch with nothing to compare with runs every stack", git -> {
                    base(git);
                    git.checkout("feature/solo", true);
                    String after = git.commit("empty");
                    git.pushBranch("feature/solo");
                    return new ChangeRequest(REPO, "unused", "refs/heads/feature/solo", ChangeRequest.ZEROS, after, null, false, "dev");
                }, stacks("infra/vpc", List.of("new branch"), "infra/dns", List.of("new branch"),
                        "environments/dev/app", List.of("new branch"))),
                new Case("an unreachable before commit runs every stack", git -> {
                    base(git);
                    git.write("infra/dns/main.tf", "# never pushed\n");
                    String lost = git.commit("local only");
                    git.resetHard("HEAD~1").write("infra/vpc/extra.tf", "# x\n");
                    String after = git.commit("pushed");
                    git.pushBranch("main");
                    return push("main", lost, after, "tst");
                }, stacks("infra/vpc", List.of("before commit %s could not be fetched (rewritten history?): every stack is planned"),
                        "infra/dns", List.of("before commit %s could not be fetched (rewritten history?): every stack is planned"))),
                new Case("a pull request is compared with its merge base, not with the base branch's tip", git -> {
                    base(git);
                    git.checkout("feature/pr", true).write("infra/dns/main.tf", "terraform {\n  backend \"s3\" {}\n}\n#pr\n");
                    String head = git.commit("pr change");
                    git.push("refs/pull/7/head");
                    git.checkout("main", false).write("infra/vpc/later.tf", "# main moved on\n");
                    String mainTip = git.commit("main moves on");
                    git.pushBranch("main");
                    return new ChangeRequest(REPO, "unused", "refs/pull/7/head", mainTip, head, "refs/heads/main", true, "prd");
                }, stacks("infra/dns", List.of("changed infra/dns/main.tf"))));
    }

    /** The stacks a detection found (it must have found some, rather than refused the repository's config). */
    static Detection.Stacks stacks(Detection detection) {
        assertInstanceOf(Detection.Stacks.class, detection, detection.toString());
        return (Detection.Stacks) detection;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void detect(Case c) throws Exception {
        detect(c, 0);
    }

    /** The same table on a shallow mirror, as in Lambda (gitops.git.depth 50): the same stacks for the same reasons. */
    @ParameterizedTest(name = "shallow: {0}")
    @MethodSource("cases")
    void detectShallow(Case c) throws Exception {
        detect(c, 50);
    }

    @Test
    void aShallowMirrorHoldsOnlyTheHistoryItsDepthAsksForAndStillFindsThePushedStack() throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null, 5)) {
            base(git);
            for (int i = 0; i < 30; i++) {
                git.write("docs/notes.md", "note " + i + "\n").commit("note " + i);
            }
            git.pushBranch("main");
            String before = git.head();
            git.write("infra/vpc/main.tf", "terraform {\n  backend \"s3\" {}\n}\n# shallow\n");
            String after = git.commit("change vpc");
            git.pushBranch("main");
            ChangeRequest request = new ChangeRequest(REPO, git.url(), "refs/heads/main", before, after, null, false, "prd");
            assertEquals(List.of("infra/vpc"), stacks(new ChangeDetector(mirror, ENVIRONMENTS).detect(request)).stacks().stream()
                    .map(StackChange::name).toList());
            int commits = 0;
            try (RevWalk walk = new RevWalk(mirror.repository(REPO))) {
                walk.markStart(walk.parseCommit(ObjectId.fromString(after)));
                while (walk.next() != null) {
                    commits++;
                }
            }
            assertTrue(commits <= 6, "a depth of 5 keeps about 5 commits of the 33 pushed, not " + commits);
        }
    }

    private void detect(Case c, int depth) throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null, depth)) {
            ChangeRequest request = c.scenario().apply(git);
            request = new ChangeRequest(request.repository(), git.url(), request.ref(), request.before(), request.after(),
                    request.baseRef(), request.pullRequest(), request.environment());
            Detection.Stacks detection = stacks(new ChangeDetector(mirror, ENVIRONMENTS).detect(request));

            Map<String, List<String>> found = new LinkedHashMap<>();
            detection.stacks().forEach(s -> found.put(s.name(), s.reasons()));
            Map<String, List<String>> expected = new LinkedHashMap<>();
            String before7 = request.before().substring(0, 7);
            c.expected().forEach((k, v) -> expected.put(k, v.stream().map(r -> r.replace("%s", before7)).toList()));
            assertEquals(expected, found);
            assertEquals(c.removed(), detection.removed());
        }
    }

    @Test
    void theExecutionInputNamesTheEnvironmentsBackendConfigAndVarFile() throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null)) {
            ChangeRequest request = change("tst", g -> g.write("infra/vpc/main.tf", "terraform {\n  backend \"s3\" {}\n}\n#2\n"))
                    .apply(git);
            request = new ChangeRequest(REPO, git.url(), request.ref(), request.before(), request.after(), null, false, "tst");
            StackChange vpc = stacks(new ChangeDetector(mirror, ENVIRONMENTS).detect(request)).stacks().get(0);
            assertEquals("infra/vpc/backend_configs/tst.config", vpc.backendConfig());
            assertEquals("infra/vpc/env_specific_vars/tst.tfvars", vpc.varFile());
        }
    }

    @Test
    void aForcedPushIsStillDiffedByTreeWhenTheOldCommitIsCached() throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null)) {
            ChangeDetector detector = new ChangeDetector(mirror, ENVIRONMENTS);
            String base = base(git);
            git.write("infra/vpc/first.tf", "# first\n");
            String first = git.commit("first try");
            git.pushBranch("main");
            detector.detect(new ChangeRequest(REPO, git.url(), "refs/heads/main", base, first, null, false, "prd"));

            git.resetHard(base).write("infra/dns/second.tf", "# second\n");
            String second = git.commit("second try");
            git.pushBranch("main");
            Detection.Stacks detection = stacks(detector.detect(new ChangeRequest(REPO, git.url(), "refs/heads/main", first, second, null, false, "prd")));

            Map<String, List<String>> found = new LinkedHashMap<>();
            detection.stacks().forEach(s -> found.put(s.name(), s.reasons()));
            assertEquals(stacks("infra/vpc", List.of("changed infra/vpc/first.tf"),
                    "infra/dns", List.of("changed infra/dns/second.tf")), found, "the undone change and the new one both run");
        }
    }

    @Test
    void detectionPastItsDeadlineStopsSayingSo() throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null)) {
            ChangeRequest request = change("prd", g -> g.write("infra/dns/x.tf", "# x\n")).apply(git);
            ChangeRequest fetched = new ChangeRequest(REPO, git.url(), request.ref(), request.before(), request.after(), null,
                    false, "prd");
            ChangeDetector.TooLong e = org.junit.jupiter.api.Assertions.assertThrows(ChangeDetector.TooLong.class,
                    () -> new ChangeDetector(mirror, ENVIRONMENTS, java.time.Duration.ZERO).detect(fetched));
            assertTrue(e.getMessage().contains("gitops.git.detection-deadline"), e.getMessage());
        }
    }

    @Test
    void aGitopsFileThatSetsApprovalIsRefusedWithItsReason() throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("mirror"), null)) {
            ChangeRequest request = change("prd", g -> g.write(".gitops.yml", "approval: auto\nstacks: []\n")).apply(git);
            request = new ChangeRequest(REPO, git.url(), request.ref(), request.before(), request.after(), null, false, "prd");
            Detection detection = new ChangeDetector(mirror, ENVIRONMENTS).detect(request);
            assertInstanceOf(Detection.InvalidConfig.class, detection);
            String problem = ((Detection.InvalidConfig) detection).problem();
            assertTrue(problem.contains("'approval' cannot be set by a repository"), problem);
        }
    }
}
