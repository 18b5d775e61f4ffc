package dev.gitops.aws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.gitops.aws.SamTemplate.actions;
import static dev.gitops.aws.SamTemplate.list;
import static dev.gitops.aws.SamTemplate.map;
import static dev.gitops.aws.SamTemplate.references;
import static dev.gitops.aws.SamTemplate.statements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SAM template read as CloudFormation reads it: one plan and one apply project per environment, each with a role
 * of its own; every build role denied the controller's resources; no build role reaching another environment's plans
 * or account role. Plans run repository code, so what a build role can reach is what a collaborator can. And how the
 * functions run: published SnapStart versions through aliases, secrets read at run time by ARN (each function only its
 * own), task tokens completed only where that is the function's job, logs kept for a set time, state kept on deletion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateTest {
    private static final Path TEMPLATE = Path.of("infra-templates/template.yaml");
    private static final List<String> ENVIRONMENTS = List.of("dev", "tst", "prd");
    private static final List<String> KINDS = List.of("plan", "apply");
    private static final String SOURCES = "{Fn::Sub=${PlansBucket.Arn}/sources/*}";
    private static final String BUCKET = "{Fn::GetAtt=[PlansBucket, Arn]}";

    /** The secrets' environment variables (the contract the code reads) and the parameter each names. */
    private static final Map<String, String> SECRETS = Map.of(
            "GITOPS_WEBHOOK_SECRET_ARN", "WebhookSecretArn", "GITOPS_ADMIN_TOKEN_ARN", "AdminTokenArn",
            "GITOPS_API_READ_TOKEN_ARN", "ReadTokenArn", "GITOPS_APPROVAL_LINK_SECRET_ARN", "LinkSecretArn",
            "GITOPS_SLACK_WEBHOOK_URL_ARN", "SlackWebhookUrlArn", "GITOPS_SLACK_SIGNING_SECRET_ARN", "SlackSigningSecretArn",
            "GITOPS_GITHUB_TOKEN_ARN", "GithubTokenArn", "GITOPS_GIT_TOKEN_ARN", "GitTokenArn");
    /** Which secrets each function uses: it gets their ARNs and may read them, and no other. */
    private static final Map<String, Set<String>> SECRETS_USED = Map.of(
            "WebhookFunction", SECRETS.keySet(),
            "HandoffFunction", Set.of("GITOPS_SLACK_WEBHOOK_URL_ARN", "GITOPS_GITHUB_TOKEN_ARN", "GITOPS_GIT_TOKEN_ARN",
                    "GITOPS_APPROVAL_LINK_SECRET_ARN"),
            "ApprovalFunction", Set.of("GITOPS_APPROVAL_LINK_SECRET_ARN", "GITOPS_SLACK_WEBHOOK_URL_ARN",
                    "GITOPS_GITHUB_TOKEN_ARN", "GITOPS_GIT_TOKEN_ARN"),
            "JanitorFunction", Set.of("GITOPS_SLACK_WEBHOOK_URL_ARN", "GITOPS_GITHUB_TOKEN_ARN"),
            "PipelineFunction", Set.of(),
            "ReconcilerFunction", Set.of("GITOPS_GITHUB_TOKEN_ARN"),
            "DriftFunction", Set.of("GITOPS_SLACK_WEBHOOK_URL_ARN"));
    /**
     * Who completes a task token: the approval page and Slack decide (webhook function); superseding fails an older
     * execution's task (the approval function, and the hand-off function, which starts executions as the webhook does).
     */
    private static final Map<String, Set<String>> TASK_TOKENS = Map.of(
            "WebhookFunction", Set.of("states:SendTaskFailure", "states:SendTaskSuccess"),
            "ApprovalFunction", Set.of("states:SendTaskFailure"),
            "HandoffFunction", Set.of("states:SendTaskFailure"));
    private static final Set<String> STATEFUL = Set.of("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Logs::LogGroup",
            "AWS::SQS::Queue");

    private SamTemplate template;
    private Map<String, Object> resources;
    /** Role logical id by "<kind>-<env>". */
    private final Map<String, String> roles = new LinkedHashMap<>();

    @BeforeAll
    void read() throws Exception {
        template = SamTemplate.read(TEMPLATE);
        resources = template.resources;
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
        return resources.values().stream().map(SamTemplate::map)
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
        List<Map<String, Object>> statements = boundary();
        Map<String, Object> deny = statements.stream().filter(s -> "Deny".equals(s.get("Effect")) && "*".equals(s.get("Action")))
                .findFirst().orElseThrow();
        String resources = String.valueOf(deny.get("Resource"));
        for (String expected : List.of("function:${AWS::StackName}-*", "stateMachine:${AWS::StackName}-*",
                "execution:${AWS::StackName}-*", "{Fn::GetAtt=[DriftTable, Arn]}", "role/${AWS::StackName}-*", "policy/${AWS::StackName}-*",
                "project/${AWS::StackName}-*", "/apis/${WebhookApi}", "log-group:/aws/lambda/${AWS::StackName}-*",
                "stack/${AWS::StackName}/*", "${WebhookSecretArn}*", "${AdminTokenArn}*", "${ReadTokenArn}*", "${LinkSecretArn}*",
                "${SlackWebhookUrlArn}*", "${SlackSigningSecretArn}*", "${GithubTokenArn}*", "${GitTokenArn}*")) {
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

    private List<Map<String, Object>> boundary() {
        return statements(template.properties("ControllerOutOfReach").get("PolicyDocument"));
    }

    @Test
    void buildsReadTheSourceArchivesAndNothingElseOfTheBucketButItsOwnerAndNothingOfTheHandOffs() {
        List<Map<String, Object>> statements = boundary();
        String controller = String.valueOf(statements.stream().filter(s -> "Deny".equals(s.get("Effect"))
                && "*".equals(s.get("Action"))).findFirst().orElseThrow().get("Resource"));
        assertTrue(controller.contains("${PlansBucket.Arn}/handoff/*"), "hand-offs are wholly out of reach: " + controller);
        assertFalse(controller.contains("/sources/"), "the source archives are read by the builds: " + controller);
        assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect"))
                && List.of("s3:GetObject").equals(s.get("NotAction")) && SOURCES.equals(String.valueOf(s.get("Resource")))),
                "every action on sources/* but GetObject is denied");
        assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect"))
                && List.of("s3:GetBucketAcl", "s3:GetBucketLocation").equals(s.get("NotAction"))
                && BUCKET.equals(String.valueOf(s.get("Resource")))), "of the bucket itself, only whose and where it is");
        for (String project : template.ofType("AWS::CodeBuild::Project")) {
            Map<String, Object> source = map(template.properties(project).get("Source"));
            assertEquals("S3", source.get("Type"), project + " builds a source archive, no GitHub credentials needed");
            assertEquals(Map.of("Fn::Sub", "${PlansBucket}/sources/"), source.get("Location"), project
                    + ": CloudFormation requires a Location for an S3 source; every build overrides it");
        }
    }

    @Test
    void everyFunctionRunsAPublishedSnapStartVersionThroughItsAlias() {
        List<String> functions = template.ofType("AWS::Serverless::Function");
        assertEquals(SECRETS_USED.keySet(), new HashSet<>(functions), "the functions this test knows");
        for (String function : functions) {
            Map<String, Object> properties = template.function(function);
            assertEquals("live", properties.get("AutoPublishAlias"), function + " is published, reached through its alias");
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), properties.get("SnapStart"), function);
            assertEquals("java21", properties.get("Runtime"), function);
            assertEquals("../target/gitops-controller-lambda.zip", properties.get("CodeUri"), function + " deploys the zip");
            int storage = ((Number) map(properties.get("EphemeralStorage")).get("Size")).intValue();
            assertTrue(storage <= 512, function + ": SnapStart takes at most 512 MB of /tmp, not " + storage);
        }
        Map<String, Object> substitutions = map(template.properties("PipelineStateMachine").get("DefinitionSubstitutions"));
        assertEquals(Map.of("Ref", "PipelineFunction.Alias"), substitutions.get("PipelineFunction"));
        assertEquals(Map.of("Ref", "ApprovalFunction.Alias"), substitutions.get("ApprovalFunction"));
        assertEquals(Map.of("Ref", "ReconcilerFunction.Alias"), map(template.properties("ReconcilerScheduler").get("Target")).get("Arn"));
    }

    @Test
    void noSecretIsResolvedIntoTheTemplate() throws Exception {
        String text = Files.readString(TEMPLATE);
        assertFalse(text.contains("resolve:secretsmanager"), "functions get secret ARNs, never values");
        assertFalse(text.contains("{{resolve:"), "no dynamic reference at all");
    }

    @Test
    void eachFunctionGetsTheArnsOfTheSecretsItUsesAndMayReadThoseOnly() {
        for (String function : template.ofType("AWS::Serverless::Function")) {
            Map<String, Object> environment = template.environment(function);
            Set<String> expected = new TreeSet<>(SECRETS_USED.get(function));
            Set<String> named = new TreeSet<>(environment.keySet());
            named.retainAll(SECRETS.keySet());
            assertEquals(expected, named, function + "'s secret ARNs");
            Set<String> parameters = new TreeSet<>();
            environment.forEach((name, value) -> {
                Set<String> refs = new TreeSet<>(references(value));
                refs.retainAll(SECRETS.values());
                if (SECRETS.containsKey(name)) {
                    assertEquals(Set.of(SECRETS.get(name)), references(value), function + ": " + name + " is its parameter's ARN");
                    parameters.add(SECRETS.get(name));
                } else {
                    assertEquals(Set.of(), refs, function + ": " + name + " names no secret");
                }
            });
            Set<String> readable = new TreeSet<>();
            for (Map<String, Object> s : template.inlineStatements(function)) {
                if (String.valueOf(s.get("Action")).contains("secretsmanager")) {
                    assertEquals("Allow", s.get("Effect"), function + ": " + s);
                    assertEquals(List.of("secretsmanager:GetSecretValue"), s.get("Action"), function + ": " + s);
                    readable.addAll(references(s.get("Resource")));
                }
            }
            assertEquals(parameters, readable, function + " reads exactly the secrets whose ARNs it gets, by whole ARN");
            assertTrue(template.policyTemplates(function).stream().noneMatch(p -> p.contains("Secret")), function);
        }
    }

    @Test
    void taskTokensAreCompletedOnAnyResourceOnlyByTheFunctionsWhoseJobItIs() {
        List<String> principals = new ArrayList<>(template.ofType("AWS::Serverless::Function"));
        principals.addAll(template.ofType("AWS::Serverless::StateMachine"));
        for (String principal : principals) {
            Set<String> granted = new TreeSet<>();
            for (Map<String, Object> s : template.inlineStatements(principal)) {
                List<String> tokens = actions(s).stream().filter(a -> a.startsWith("states:SendTask")).toList();
                if (!tokens.isEmpty()) {
                    assertEquals("*", s.get("Resource"), principal + ": Step Functions documents only \"*\" for " + tokens);
                    assertEquals(tokens, actions(s), principal + ": task-token actions stand in a statement of their own");
                    granted.addAll(tokens);
                }
            }
            assertEquals(TASK_TOKENS.getOrDefault(principal, Set.of()), granted, principal + "'s task-token actions");
            assertFalse(template.policyTemplates(principal).contains("StepFunctionsCallbackPolicy"), principal);
        }
    }

    @Test
    void theConsoleIsServedByTheWebhookFunctionAndThePlanCommentsAreWrittenByTheJanitor() {
        Map<String, Object> events = SamTemplate.map(template.function("WebhookFunction").get("Events"));
        Set<String> paths = new TreeSet<>();
        events.values().forEach(e -> paths.add(String.valueOf(SamTemplate.map(SamTemplate.map(e).get("Properties")).get("Path"))));
        assertTrue(paths.containsAll(List.of("/ui", "/ui/{proxy+}", "/assets/{proxy+}")), paths.toString());
        Set<String> webhook = new TreeSet<>();
        template.inlineStatements("WebhookFunction").forEach(s -> webhook.addAll(actions(s)));
        assertTrue(webhook.containsAll(List.of("states:GetExecutionHistory", "states:DescribeStateMachine")), webhook.toString());
        Set<String> janitor = new TreeSet<>();
        template.inlineStatements("JanitorFunction").forEach(s -> janitor.addAll(actions(s)));
        assertTrue(janitor.contains("s3:GetObject"), "the janitor reads plan texts for the comments: " + janitor);
        assertTrue(template.policyTemplates("JanitorFunction").contains("DynamoDBCrudPolicy"));
        assertTrue(String.valueOf(template.properties("JanitorFunction").get("Policies")).contains("DeliveriesTable"),
                "the janitor writes the comments' items in the deliveries table");
    }

    @Test
    void tablesBucketQueuesAndLogsOutliveTheStack() {
        for (String id : resources.keySet()) {
            Map<String, Object> resource = map(resources.get(id));
            if (STATEFUL.contains(resource.get("Type"))) {
                assertEquals("Retain", resource.get("DeletionPolicy"), id);
                assertEquals("Retain", resource.get("UpdateReplacePolicy"), id);
            }
        }
        assertEquals(5, template.ofType("AWS::DynamoDB::Table").size());
    }

    @Test
    void everyLogIsKeptForLogRetentionDaysInALogGroupOfTheTemplate() {
        List<String> groups = template.ofType("AWS::Logs::LogGroup");
        for (String group : groups) {
            assertEquals(Map.of("Ref", "LogRetentionDays"), template.properties(group).get("RetentionInDays"), group);
        }
        for (String function : template.ofType("AWS::Serverless::Function")) {
            Object group = map(template.function(function).get("LoggingConfig")).get("LogGroup");
            assertTrue(group instanceof Map<?, ?> m && groups.contains(String.valueOf(m.get("Ref"))), function + " logs to " + group);
        }
        for (String project : template.ofType("AWS::CodeBuild::Project")) {
            Object group = map(map(template.properties(project).get("LogsConfig")).get("CloudWatchLogs")).get("GroupName");
            assertTrue(group instanceof Map<?, ?> m && groups.contains(String.valueOf(m.get("Ref"))), project + " logs to " + group);
        }
        for (String machine : template.ofType("AWS::Serverless::StateMachine")) {
            Object logging = template.properties(machine).get("Logging");
            assertTrue(logging == null || groups.stream().anyMatch(g -> String.valueOf(logging).contains(g)), machine
                    + " logs, if at all, to a group of the template");
        }
    }

    @Test
    void theWebhookFunctionRefersToNothingThatRefersToTheApiItServes() {
        Map<String, Object> function = new LinkedHashMap<>(template.function("WebhookFunction"));
        function.remove("Events"); // the API refers to the function (its integration), not the other way round
        Set<String> refs = references(function);
        assertFalse(refs.contains("WebhookApi"), "a circular dependency: " + refs);
        assertFalse(refs.contains("PipelineStateMachine"), "the state machine refers to functions that refer to the API");
        Object publicUrl = template.environment("WebhookFunction").get("GITOPS_PUBLIC_URL");
        assertEquals(Map.of("Fn::If", List.of("HasPublicUrl", Map.of("Ref", "PublicUrl"), Map.of("Ref", "AWS::NoValue"))), publicUrl);
        for (String other : List.of("HandoffFunction", "PipelineFunction", "ApprovalFunction", "JanitorFunction", "ReconcilerFunction",
                "DriftFunction")) {
            assertEquals(Map.of("Fn::If", List.of("HasPublicUrl", Map.of("Ref", "PublicUrl"), Map.of("Fn::Sub",
                    "https://${WebhookApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"))),
                    template.environment(other).get("GITOPS_PUBLIC_URL"), other + " links to the controller");
        }
        Map<String, Object> outputs = map(template.root.get("Outputs"));
        for (String output : List.of("WebhookUrl", "SlackRequestUrl", "StateMachineConsoleUrl", "StateMachineArn")) {
            assertTrue(outputs.containsKey(output), output);
        }
    }

    @Test
    void aHandedOffDeliveryIsRetriedThenKeptAndNeverTakenByAnotherConsumerMidway() {
        Map<String, Object> queue = template.properties("HandoffQueue");
        int timeout = ((Number) template.function("HandoffFunction").get("Timeout")).intValue();
        assertTrue(((Number) queue.get("VisibilityTimeout")).intValue() >= 6 * timeout, "visibility >= 6 x " + timeout + " s");
        assertEquals(3, map(queue.get("RedrivePolicy")).get("maxReceiveCount"));
        assertEquals(Map.of("Fn::GetAtt", List.of("HandoffDeadLetterQueue", "Arn")), map(queue.get("RedrivePolicy")).get("deadLetterTargetArn"));
        assertEquals(true, queue.get("SqsManagedSseEnabled"));
        assertEquals(true, template.properties("HandoffDeadLetterQueue").get("SqsManagedSseEnabled"));
        Map<String, Object> event = map(map(map(template.function("HandoffFunction").get("Events")).get("HandedOff")).get("Properties"));
        assertEquals(1, event.get("BatchSize"));
        assertEquals(List.of("ReportBatchItemFailures"), event.get("FunctionResponseTypes"));
        assertEquals("webhook-handoff", template.environment("HandoffFunction").get("GITOPS_FUNCTION"));
        assertEquals("ReconcilerOn", map(resources.get("ReconcilerScheduler")).get("Condition"), "ReconcilerSchedule off: no schedule");
    }

    @Test
    void theBoundaryFitsIamsManagedPolicyLimitForAFortyCharacterStackName() throws Exception {
        String stack = "x".repeat(40);
        String region = "ap-southeast-2";
        String account = "123456789012";
        Map<String, String> values = new LinkedHashMap<>(Map.of("AWS::StackName", stack, "AWS::Region", region,
                "AWS::AccountId", account, "AWS::Partition", "aws-us-gov", "WebhookApi", "a1b2c3d4e5",
                "BuildspecLocation", "an-artifacts-bucket-of-forty-characters/gitops/buildspec.yml",
                "PlansBucket.Arn", "arn:aws-us-gov:s3:::" + "b".repeat(63)));
        SECRETS.values().forEach(p -> values.put(p, "arn:aws-us-gov:secretsmanager:" + region + ":" + account
                + ":secret:gitops/a-secret-name-of-thirty-chars-AbCdEf"));
        for (String table : template.ofType("AWS::DynamoDB::Table")) {
            values.put(table + ".Arn", "arn:aws-us-gov:dynamodb:" + region + ":" + account + ":table/" + stack + "-" + table
                    + "-ABCDEFGHIJKLM");
        }
        int size = SamTemplate.iamSize(SamTemplate.render(template.properties("ControllerOutOfReach").get("PolicyDocument"), values));
        assertTrue(size <= 6144, "ControllerOutOfReach would be " + size + " characters; IAM takes 6,144");
    }

    @Test
    void samconfigGivesEveryRequiredParameterWithPlaceholdersThatCannotBeDeployed() throws Exception {
        String config = Files.readString(Path.of("samconfig.toml"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("parameter_overrides = \"\"\"(?s)(.*?)\"\"\"").matcher(config);
        assertTrue(block.find(), "samconfig.toml holds parameter_overrides");
        Map<String, String> given = new LinkedHashMap<>();
        java.util.regex.Matcher pair = java.util.regex.Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(block.group(1));
        while (pair.find()) {
            given.put(pair.group(1), pair.group(2));
        }
        Map<String, Object> parameters = map(template.root.get("Parameters"));
        for (Map.Entry<String, String> entry : given.entrySet()) {
            Map<String, Object> parameter = map(parameters.get(entry.getKey()));
            assertNotNull(parameter, entry.getKey() + " is a parameter of the template");
            Object pattern = parameter.get("AllowedPattern");
            if (entry.getValue().startsWith("REPLACE")) {
                assertNotNull(pattern, entry.getKey() + " has a pattern its placeholder fails");
                assertFalse(entry.getValue().matches(pattern.toString()), entry.getKey() + "'s placeholder cannot be deployed");
            } else if (pattern != null) {
                assertTrue(entry.getValue().matches(pattern.toString()), entry.getKey() + "=" + entry.getValue());
            }
        }
        parameters.forEach((name, parameter) -> {
            if (!map(parameter).containsKey("Default")) {
                assertTrue(given.containsKey(name), "samconfig.toml gives the required parameter " + name);
            }
        });
        java.util.regex.Matcher stack = java.util.regex.Pattern.compile("stack_name = \"([^\"]+)\"").matcher(config);
        assertTrue(stack.find() && stack.group(1).length() <= 40, "a stack name the boundary has room for");
        assertTrue(config.contains("template_file = \"infra-templates/template.yaml\"") && config.contains("region = "));
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
                        assertTrue(allowed.contains(own) || allowed.contains("${BuildspecLocation}") || allowed.equals(SOURCES)
                                || allowed.equals(BUCKET), role + " allows S3 only on its own prefix, the buildspec, the source"
                                + " archives and the bucket's owner: " + s);
                        String expected = allowed.equals(BUCKET) ? "[s3:GetBucketAcl, s3:GetBucketLocation]"
                                : kind.equals("plan") && allowed.contains(own) ? "[s3:PutObject]" : "[s3:GetObject]";
                        assertEquals(expected, actions, role + ": a plan only writes its plans, an apply only reads them, both"
                                + " read the buildspec and the source archives, and learn whose the bucket is (CodeBuild asks)");
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

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
