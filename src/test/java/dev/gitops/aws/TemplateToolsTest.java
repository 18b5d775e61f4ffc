package dev.gitops.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The template through the tools AWS publishes for it: cfn-lint, informational checks included, finds nothing; and
 * aws-sam-translator (the SAM transform CloudFormation runs) turns the packaged template, as {@code sam package} leaves
 * it, into CloudFormation whose event sources all invoke the functions' aliases. Each test is skipped, naming what is
 * missing, where the tool is not installed (CI installs both).
 */
class TemplateToolsTest {
    private static final Path TEMPLATE = Path.of("infra-templates/template.yaml");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Packages the template as {@code sam package} does (CodeUri and DefinitionUri become S3 URIs) and transforms it
     * with a stub of the managed-policy map, as aws-sam-translator's own tests do; the region comes from
     * AWS_DEFAULT_REGION.
     */
    private static final String TRANSLATE = """
            import json, sys
            from samtranslator.yaml_helper import yaml_parse
            from samtranslator.translator.transform import transform
            from samtranslator.public.exceptions import InvalidDocumentException

            class ManagedPolicies:
                def load(self):
                    return {"AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                            "AWSLambdaSQSQueueExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
                            "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"}

            template = yaml_parse(open(sys.argv[1]).read())
            template["Globals"]["Function"]["CodeUri"] = "s3://artifacts/gitops-controller-lambda.zip"
            for resource in template["Resources"].values():
                properties = resource.get("Properties", {})
                if "CodeUri" in properties:
                    properties["CodeUri"] = "s3://artifacts/gitops-controller-lambda.zip"
                if "DefinitionUri" in properties:
                    properties["DefinitionUri"] = "s3://artifacts/pipeline.asl.json"
            try:
                transformed = transform(template, {}, ManagedPolicies())
            except InvalidDocumentException as e:
                print("\\n".join(str(cause) for cause in e.causes))
                sys.exit(1)
            json.dump(transformed, open(sys.argv[2], "w"))
            """;

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> new File(d, command).canExecute());
    }

    private record Ran(int exit, String output) {
    }

    private static Ran run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return new Ran(process.exitValue(), output);
    }

    @Test
    void cfnLintFindsNothingInformationalChecksIncluded() throws Exception {
        Assumptions.assumeTrue(onPath("cfn-lint"), "cfn-lint is not installed here (pip install cfn-lint; CI runs it)");
        Ran lint = run(List.of("cfn-lint", "--include-checks", "I", "--", TEMPLATE.toString()), Map.of());
        assertEquals("", lint.output().strip(), "cfn-lint --include-checks I reports nothing");
        assertEquals(0, lint.exit(), lint.output());
    }

    @Test
    void samTransformsThePackagedTemplateWithEveryEventSourceOnAnAlias() throws Exception {
        Assumptions.assumeTrue(onPath("python3"), "python3 is not installed here");
        Assumptions.assumeTrue(run(List.of("python3", "-c", "import samtranslator"), Map.of()).exit() == 0,
                "the python package aws-sam-translator is not installed here (pip install aws-sam-translator)");
        Path out = Files.createTempFile("transformed", ".json");
        Ran transform = run(List.of("python3", "-c", TRANSLATE, TEMPLATE.toString(), out.toString()),
                Map.of("AWS_DEFAULT_REGION", "eu-west-1"));
        assertEquals(0, transform.exit(), transform.output());
        JsonNode resources = MAPPER.readTree(out.toFile()).path("Resources");
        Files.delete(out);

        List<String> functions = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::Lambda::Function")) {
                functions.add(e.getKey());
            }
        });
        assertEquals(7, functions.size(), functions.toString());
        for (String function : functions) {
            JsonNode properties = resources.path(function).path("Properties");
            assertEquals("PublishedVersions", properties.path("SnapStart").path("ApplyOn").asText(), function);
            assertEquals("artifacts", properties.path("Code").path("S3Bucket").asText(), function);
            assertEquals("AWS::Lambda::Alias", resources.path(function + "Aliaslive").path("Type").asText(),
                    function + " has its alias");
        }
        assertAlias("HandoffFunction", resources.path("HandoffFunctionHandedOff").path("Properties").path("FunctionName"));
        assertAlias("JanitorFunction", resources.path("JanitorFunctionExecutionEnded").path("Properties").path("Targets").path(0).path("Arn"));
        assertAlias("ReconcilerFunction", resources.path("ReconcilerScheduler").path("Properties").path("Target").path("Arn"));
        assertAlias("DriftFunction", resources.path("DriftStateMachine").path("Properties").path("DefinitionSubstitutions")
                .path("DriftFunction"));
        JsonNode substitutions = resources.path("PipelineStateMachine").path("Properties").path("DefinitionSubstitutions");
        assertAlias("PipelineFunction", substitutions.path("PipelineFunction"));
        assertAlias("ApprovalFunction", substitutions.path("ApprovalFunction"));
        resources.fields().forEachRemaining(e -> {
            JsonNode p = e.getValue().path("Properties");
            if (e.getValue().path("Type").asText().equals("AWS::Lambda::Permission")
                    && p.path("Principal").asText().equals("apigateway.amazonaws.com")) {
                assertAlias("WebhookFunction", p.path("FunctionName"));
            }
        });
        String api = resources.path("WebhookApi").path("Properties").path("Body").toString();
        assertTrue(api.contains("${WebhookFunctionAliaslive}"), "the API integrates the alias: " + api);
        assertFalse(api.contains("${WebhookFunction.Arn}"), api);
        JsonNode throttling = resources.path("WebhookApiApiGatewayDefaultStage").path("Properties").path("DefaultRouteSettings");
        assertEquals("ApiThrottlingBurstLimit", throttling.path("ThrottlingBurstLimit").path("Ref").asText(), throttling.toString());
        assertEquals("ApiThrottlingRateLimit", throttling.path("ThrottlingRateLimit").path("Ref").asText(), throttling.toString());
    }

    private static void assertAlias(String function, JsonNode target) {
        assertEquals(function + "Aliaslive", target.path("Ref").asText(), "invokes " + function + "'s alias: " + target);
    }
}
