package dev.gitops.aws;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SAM template read as CloudFormation reads it: one plan and one apply project per environment, each with a role
 * of its own; every build role denied the controller's resources; no build role reaching another environment's plans
 * or account role. Plans run repository code, so what a build role can reach is what a collaborator can.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateTest {
    private static final Path TEMPLATE = Path.of("infra-templates/template.yaml");
    private static final List<String> ENVIRONMENTS = List.of("dev", "tst", "prd");
    private static final List<String> KINDS = List.of("plan", "apply");

    private Map<String, Object> resources;
    /** Role logical id by "<kind>-<env>". */
    private final Map<String, String> roles = new LinkedHashMap<>();

    @BeforeAll
    void read() throws Exception {
        resources = map(CloudFormationYaml.read(TEMPLATE).get("Resources"));
        for (String env : ENVIRONMENTS) {
            for (String kind : KINDS) {
                Map<String, Object> project = project(kind, env);
                assertNotNull(project, "a " + kind + " project for " + env);
                Map<String, Object> properties = map(project.get("Properties"));
                roles.put(kind + "-" + env, (String) list(map(properties.get("ServiceRole")).get("Fn::GetAtt")).get(0));
                List<Object> variables = list(map(map(properties.get("Environment"))).get("EnvironmentVariables"));
                assertTrue(variables.stream().anyMatch(v -> v instanceof Map<?, ?> m && "PLAN_STORE".equals(m.get("Name"))
                        && Map.of("Fn::Sub", "s3://${PlansBucket}/plans/" + env).equals(m.get("Value"))),
                        kind + "-" + env + " keeps its plans under its environment's prefix: " + variables);
            }
        }
    }

    private Map<String, Object> project(String kind, String env) {
        Object name = Map.of("Fn::Sub", "${AWS::StackName}-" + kind + "-" + env);
        return resources.values().stream().map(TemplateTest::map)
                .filter(r -> "AWS::CodeBuild::Project".equals(r.get("Type")) && name.equals(map(r.get("Properties")).get("Name")))
                .findFirst().orElse(null);
    }

    @Test
    void everyEnvironmentHasAPlanAndAnApplyProjectEachWithARoleOfItsOwn() {
        assertEquals(6, new HashSet<>(roles.values()).size(), "six distinct roles: " + roles);
        long projects = resources.values().stream().filter(r -> "AWS::CodeBuild::Project".equals(map(r).get("Type"))).count();
        assertEquals(6, projects, "no other build project");
    }

    @Test
    void everyBuildRoleIsDeniedTheControllersFunctionsTablesStateMachineAndSecrets() {
        for (String role : roles.values()) {
            Object boundary = map(map(resources.get(role)).get("Properties")).get("PermissionsBoundary");
            assertEquals(Map.of("Ref", "ControllerOutOfReach"), boundary, role + "'s permissions boundary");
        }
        List<Map<String, Object>> statements = statements(map(map(resources.get("ControllerOutOfReach")).get("Properties"))
                .get("PolicyDocument"));
        Map<String, Object> deny = statements.stream().filter(s -> "Deny".equals(s.get("Effect")) && "*".equals(s.get("Action")))
                .findFirst().orElseThrow();
        String resources = String.valueOf(deny.get("Resource"));
        for (String expected : List.of("function:${AWS::StackName}-*", "stateMachine:${AWS::StackName}-pipeline",
                "execution:${AWS::StackName}-pipeline:*", "role/${AWS::StackName}-*", "policy/${AWS::StackName}-*",
                "project/${AWS::StackName}-*", "/apis/${WebhookApi}", "log-group:/aws/lambda/${AWS::StackName}-*",
                "stack/${AWS::StackName}/*", "${WebhookSecretArn}*", "${AdminTokenArn}*", "${ReadTokenArn}*", "${LinkSecretArn}*",
                "${SlackWebhookUrlArn}*", "${SlackSigningSecretArn}*", "${GithubTokenArn}*")) {
            assertTrue(resources.contains(expected), "the deny covers " + expected + ": " + resources);
        }
        for (String table : List.of("ApprovalsTable", "LocksTable", "DeliveriesTable", "DeploymentsTable")) {
            assertTrue(resources.contains("{Fn::GetAtt=[" + table + ", Arn]}") && resources.contains("${" + table + ".Arn}/index/*"),
                    table + " and its indexes: " + resources);
        }
        assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect")) && "*".equals(s.get("Resource"))
                && String.valueOf(s.get("Action")).contains("states:SendTaskSuccess")), "no build completes a task token");
        assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect"))
                && String.valueOf(s.get("Action")).contains("iam:CreateRole")
                && String.valueOf(s.get("Condition")).contains("iam:PermissionsBoundary")),
                "a role or user a build creates carries the same boundary");
        assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect"))
                && String.valueOf(s.get("Action")).contains("s3:PutObject")
                && String.valueOf(s.get("Condition")).contains("s3:if-none-match")), "a saved plan is written once");
    }

    @Test
    void noBuildRoleReachesAnotherEnvironmentsPlansOrAccountRole() {
        for (String env : ENVIRONMENTS) {
            for (String kind : KINDS) {
                String role = roles.get(kind + "-" + env);
                List<Map<String, Object>> statements = new ArrayList<>();
                for (Object policy : list(map(map(resources.get(role)).get("Properties")).get("Policies"))) {
                    statements.addAll(statements(map(policy).get("PolicyDocument")));
                }
                String own = "${PlansBucket.Arn}/plans/" + env + "/*";
                for (Map<String, Object> s : statements) {
                    String actions = String.valueOf(s.get("Action"));
                    if ("Allow".equals(s.get("Effect")) && actions.contains("s3:")) {
                        String allowed = String.valueOf(s.get("Resource"));
                        assertTrue(allowed.contains(own) || allowed.contains("${BuildspecLocation}"), role + " allows S3 only on its"
                                + " own prefix and the buildspec: " + s);
                        assertEquals(kind.equals("plan") && allowed.contains(own) ? "[s3:PutObject]" : "[s3:GetObject]", actions,
                                role + ": a plan only writes its plans, an apply only reads them, both read the buildspec");
                    }
                    if ("Allow".equals(s.get("Effect")) && actions.contains("sts:AssumeRole")) {
                        assertEquals(Map.of("Ref", capitalized(env) + capitalized(kind) + "RoleArn"), s.get("Resource"),
                                role + " assumes only its own environment's role");
                    }
                }
                Map<String, Object> others = statements.stream().filter(s -> "Deny".equals(s.get("Effect"))
                        && "*".equals(s.get("Action"))).findFirst().orElseThrow();
                String denied = String.valueOf(others.get("Resource"));
                for (String other : ENVIRONMENTS) {
                    if (!other.equals(env)) {
                        assertTrue(denied.contains("${PlansBucket.Arn}/plans/" + other + "/*"), role + " is denied " + other
                                + "'s plans: " + denied);
                        for (String k : KINDS) {
                            assertTrue(denied.contains("{Ref=" + capitalized(other) + capitalized(k) + "RoleArn}"), role
                                    + " is denied " + other + "'s " + k + " role: " + denied);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theTemplatePassesCfnLint() throws Exception {
        Assumptions.assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> new File(d, "cfn-lint").canExecute()), "cfn-lint is not installed here (CI runs it)");
        Process lint = new ProcessBuilder("cfn-lint", TEMPLATE.toString()).redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes());
        assertTrue(lint.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, lint.exitValue(), output);
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** A policy document's statements, both branches of an {@code Fn::If} included. */
    private static List<Map<String, Object>> statements(Object document) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object statement : list(map(document).get("Statement"))) {
            Map<String, Object> s = map(statement);
            if (s.containsKey("Fn::If")) {
                List<Object> branches = list(s.get("Fn::If"));
                for (Object branch : branches.subList(1, 3)) {
                    if (branch instanceof Map<?, ?> m && !m.containsKey("Ref")) {
                        out.add(map(branch));
                    }
                }
            } else {
                out.add(s);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
