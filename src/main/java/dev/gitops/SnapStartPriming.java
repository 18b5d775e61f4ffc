package dev.gitops;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.aws.Tables;
import dev.gitops.function.Functions;
import dev.gitops.runtime.Entropy;
import dev.gitops.runtime.InLambda;
import dev.gitops.webhook.FrontDoor;
import dev.gitops.webhook.Signatures;
import dev.gitops.webhook.WebhookConfiguration;
import dev.gitops.webhook.WebhookSecret;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Context;
import org.crac.Core;
import org.crac.Resource;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * SnapStart's runtime hooks, registered with CRaC ({@code org.crac}) when a Lambda function's context starts. Lambda
 * calls {@link #beforeCheckpoint} once, before it snapshots an initialized function version; the priming then does
 * once what the first request would (SDK clients built and a call marshalled, signed and answered without leaving the
 * process, Jackson, HMAC, JGit's diff, the beans a push needs, a signed ping through the handler), so that every
 * environment restored from the snapshot starts warm. Without SnapStart the hooks never run and an on-demand init
 * stays lean. {@link #afterRestore} renews what no two restored environments may share: the random generator behind
 * approval ids and CSRF nonces. No credentials are resolved before the snapshot: the priming calls sign with
 * credentials of their own, and the real clients resolve theirs at their first call, after the restore.
 */
@Context
@InLambda
public class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    private static final byte[] PING = "{\"zen\":\"Priming before the snapshot.\",\"hook_id\":0}".getBytes(StandardCharsets.UTF_8);

    /** What one priming did, step by step, with the milliseconds each took. */
    public record Report(Map<String, Long> millis, List<String> failures, Integer pingStatus) {
    }

    private final ApplicationContext context;
    private volatile Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    private volatile Report last;

    public SnapStartPriming(ApplicationContext context) {
        this.context = context;
        Core.getGlobalContext().register(this);
    }

    /** The webhook function's handler, through which the priming sends a signed ping ({@link LambdaHandler}). */
    void throughHandler(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        this.handler = handler;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> checkpoint) {
        last = prime();
        LOG.info("SnapStart: primed before the snapshot ({} ms by step{})", last.millis(),
                last.failures().isEmpty() ? "" : "; failed, the restored function does these at its first request: " + last.failures());
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> restore) {
        Entropy.renew();
        LOG.info("SnapStart: restored from a snapshot, the random generator renewed");
    }

    /** The last priming's report, null before any. */
    public Report last() {
        return last;
    }

    /** Each step on its own: one that fails is logged and left to the first request, the snapshot is taken anyway. */
    Report prime() {
        Map<String, Long> millis = new java.util.LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Integer[] ping = {null};
        step("jackson", millis, failures, this::jackson);
        step("hmac", millis, failures, () -> Signatures.valid(PING, PING, Signatures.sign(PING, PING)));
        step("sdk", millis, failures, this::sdk);
        step("jgit", millis, failures, SnapStartPriming::jgit);
        String function = context.getProperty("gitops.function", String.class).orElse(null);
        if (function != null) {
            step("function " + function, millis, failures, () -> context.getBean(Functions.class).named(function));
        } else {
            step("front door", millis, failures, () -> context.getBean(FrontDoor.class));
            if (handler != null && context.getBean(WebhookConfiguration.class).getSecret() != null) {
                step("ping", millis, failures, () -> ping[0] = handler.apply(signedPing()).getStatusCode());
            } else if (handler != null) {
                // the secret comes from Secrets Manager: read after the restore, never into the snapshot
                step("health", millis, failures, () -> ping[0] = handler.apply(health()).getStatusCode());
            }
        }
        return new Report(millis, failures, ping[0]);
    }

    private static void step(String name, Map<String, Long> millis, List<String> failures, Runnable step) {
        long start = System.nanoTime();
        try {
            step.run();
        } catch (RuntimeException | LinkageError e) {
            failures.add(name + ": " + e);
        }
        millis.put(name, (System.nanoTime() - start) / 1_000_000);
    }

    private void jackson() {
        ObjectMapper mapper = context.getBean(ObjectMapper.class);
        try {
            JsonNode node = mapper.readTree(PING);
            mapper.writeValueAsBytes(Map.of("pong", true, "echo", node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The real clients built, and a call of each service (DynamoDB, Step Functions) run through clients made by the
     * same builders, marshalled, signed and unmarshalled, but answered in process by {@link CannedHttpClient}.
     */
    private void sdk() {
        context.getBean(DynamoDbClient.class);
        context.getBean(SfnClient.class);
        context.getBean(S3Client.class);
        StaticCredentialsProvider priming = StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
        DynamoDbClientBuilder dynamo = context.getBean(DynamoDbClientBuilder.class);
        dynamo.httpClientBuilder(null);
        try (DynamoDbClient client = dynamo.httpClient(new CannedHttpClient()).credentialsProvider(priming).build()) {
            client.getItem(b -> b.tableName(context.getBean(Tables.class).getLocks())
                    .key(Map.of("lockId", AttributeValue.fromS("snapstart-priming"))));
        }
        SfnClientBuilder sfn = context.getBean(SfnClientBuilder.class);
        sfn.httpClientBuilder(null);
        try (SfnClient client = sfn.httpClient(new CannedHttpClient()).credentialsProvider(priming).build()) {
            client.describeExecution(b -> b.executionArn("arn:aws:states:us-east-1:123456789012:execution:priming:priming"));
        }
    }

    /** Two commits in a throwaway bare repository, diffed as change detection diffs them. */
    private static void jgit() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("snapstart-priming");
            try (Git git = Git.init().setBare(true).setDirectory(dir.toFile()).call();
                 ObjectInserter inserter = git.getRepository().newObjectInserter()) {
                Repository repository = git.getRepository();
                ObjectId first = commit(inserter, null, "terraform {\n  backend \"s3\" {}\n}\n");
                ObjectId second = commit(inserter, first, "terraform {\n  backend \"s3\" {}\n}\n# changed\n");
                inserter.flush();
                try (RevWalk walk = new RevWalk(repository);
                     DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
                    diff.setRepository(repository);
                    diff.setDetectRenames(true);
                    List<DiffEntry> entries = diff.scan(walk.parseCommit(first).getTree(), walk.parseCommit(second).getTree());
                    if (entries.size() != 1) {
                        throw new IllegalStateException("the priming diff found " + entries);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
            throw new IllegalStateException(e);
        } finally {
            delete(dir);
        }
    }

    private static ObjectId commit(ObjectInserter inserter, ObjectId parent, String text) throws IOException {
        TreeFormatter stack = new TreeFormatter();
        stack.append("main.tf", FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8)));
        TreeFormatter root = new TreeFormatter();
        root.append("infra", FileMode.TREE, inserter.insert(stack));
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(inserter.insert(root));
        if (parent != null) {
            commit.setParentId(parent);
        }
        PersonIdent who = new PersonIdent("priming", "priming@localhost", 0L, 0);
        commit.setAuthor(who);
        commit.setCommitter(who);
        commit.setMessage("priming");
        return inserter.insert(commit);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: best effort
        }
    }

    /**
     * GitHub's ping as API Gateway hands it over (HTTP API, payload 2.0), signed with the function's secret: only when
     * that secret is given directly (tests, a secret in the function's environment), never one read from Secrets
     * Manager, which must not be in the snapshot.
     */
    private APIGatewayV2HTTPEvent signedPing() {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-github-event", "ping");
        headers.put("x-github-delivery", "snapstart-priming");
        headers.put("x-hub-signature-256", Signatures.sign(context.getBean(WebhookSecret.class).key(), PING));
        headers.put("content-length", Integer.toString(PING.length));
        return request("POST", "/webhooks/github", headers, new String(PING, StandardCharsets.UTF_8));
    }

    /** {@code GET /health} as API Gateway hands it over: the handler's whole path, no secret needed. */
    private static APIGatewayV2HTTPEvent health() {
        return request("GET", "/health", new HashMap<>(Map.of("accept", "application/json")), null);
    }

    private static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> headers, String body) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        http.setPath(path);
        http.setProtocol("HTTP/1.1");
        http.setSourceIp("127.0.0.1");
        APIGatewayV2HTTPEvent.RequestContext request = new APIGatewayV2HTTPEvent.RequestContext();
        request.setHttp(http);
        request.setRouteKey(method + " " + path);
        request.setStage("$default");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(method + " " + path);
        event.setRawPath(path);
        event.setRawQueryString("");
        event.setHeaders(headers);
        event.setRequestContext(request);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    /** The priming calls' HTTP client: every request is answered {@code 200 {}} in process; nothing is sent. */
    static final class CannedHttpClient implements SdkHttpClient {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200).putHeader("Content-Type", "application/x-amz-json-1.0").build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))))
                            .build();
                }

                @Override
                public void abort() {
                    // answered at once: nothing to abort
                }
            };
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
