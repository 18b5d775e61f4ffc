package dev.gitops.changes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepoConfigTest {
    @Test
    void aFullFileParses() throws Exception {
        RepoConfig config = RepoConfig.parse("""
                version: 1
                stacks:
                  - name: network
                    dir: ./infra/network/
                    when_modified: ["shared/*.tfvars"]
                  - name: app
                    dir: environments/{env}/app
                    depends_on: [network]
                env_files:
                  var_file: vars/{env}.tfvars
                """);
        assertEquals(List.of(new RepoConfig.StackConfig("network", "infra/network", List.of("shared/*.tfvars"), List.of()),
                new RepoConfig.StackConfig("app", "environments/{env}/app", List.of(), List.of("network"))), config.stacks());
        assertEquals("vars/{env}.tfvars", config.varFile());
        assertEquals(RepoConfig.DEFAULT_BACKEND_CONFIG, config.backendConfig());
    }

    @Test
    void anEmptyFileOrOneWithoutStacksKeepsDiscovery() throws Exception {
        assertFalse(RepoConfig.parse("").listsStacks());
        assertFalse(RepoConfig.parse("env_files:\n  var_file: v/{env}.tfvars\n").listsStacks());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "an absolute dir is refused          | 'stacks: [{name: a, dir: /etc}]'                        | must be relative to the repository",
            "a dir with .. is refused            | 'stacks: [{name: a, dir: ../other}]'                    | may not contain '..'",
            "a when_modified glob with .. is refused | 'stacks: [{name: a, dir: a, when_modified: [../x]}]' | may not contain '..'",
            "two stacks with one name are refused | 'stacks: [{name: a, dir: a}, {name: a, dir: b}]'       | is also used by stacks[0]",
            "depends_on names an existing stack  | 'stacks: [{name: a, dir: a, depends_on: [b]}]'          | depends on 'b', which is not a stack here",
            "the repository cannot set branches  | 'branches: [main]'                                     | cannot be set by a repository",
            "the repository cannot set approvers per stack | 'stacks: [{name: a, dir: a, approvers: [U1]}]' | cannot be set by a repository",
            "unknown keys are named              | 'stack: []'                                            | unknown key 'stack'",
            "env files need {env}                | 'env_files: {var_file: vars.tfvars}'                   | must contain {env}",
            "YAML syntax errors are reported     | 'stacks: [unclosed'                                    | not valid YAML"})
    void invalidFilesAreRefusedNamingTheProblem(String sentence, String yaml, String problem) {
        RepoConfig.InvalidRepoConfig e = assertThrows(RepoConfig.InvalidRepoConfig.class, () -> RepoConfig.parse(yaml));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void globsAndStacksAreLimitedAndTheFileSaysWhichOneIsRefused() {
        String longGlob = "a".repeat(RepoConfig.MAX_GLOB_LENGTH + 1);
        assertRefused("stacks: [{name: a, dir: a, when_modified: [x, '" + longGlob + "']}]",
                "stacks[0].when_modified[1] is 257 characters long (at most 256)");
        StringBuilder many = new StringBuilder("stacks: [{name: a, dir: a, when_modified: [");
        for (int i = 0; i <= RepoConfig.MAX_GLOBS_PER_STACK; i++) {
            many.append(i == 0 ? "" : ", ").append("g").append(i);
        }
        assertRefused(many.append("]}]").toString(), "stacks[0].when_modified has 51 globs (at most 50)");
        StringBuilder stacks = new StringBuilder("stacks:\n");
        for (int i = 0; i <= RepoConfig.MAX_STACKS; i++) {
            stacks.append("  - {name: s").append(i).append(", dir: d").append(i).append("}\n");
        }
        assertRefused(stacks.toString(), "'stacks' lists 501 stacks (at most 500)");
    }

    private static void assertRefused(String yaml, String problem) {
        RepoConfig.InvalidRepoConfig e = assertThrows(RepoConfig.InvalidRepoConfig.class, () -> RepoConfig.parse(yaml));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
