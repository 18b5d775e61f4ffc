package dev.gitops.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.asl.TaskResource;
import dev.gitops.engine.data.Json;
import dev.gitops.engine.data.StatesErrors;
import dev.gitops.engine.data.StatesException;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.utils.builder.SdkBuilder;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Runs Step Functions' optimized DynamoDB integration ({@code arn:aws:states:::dynamodb:putItem}, {@code getItem},
 * {@code updateItem}, {@code deleteItem}; request-response only) against a {@link DynamoDbClient}.
 *
 * <p>As on AWS: the result is DynamoDB's response in its wire JSON plus {@code SdkHttpMetadata} and
 * {@code SdkResponseMetadata}; a DynamoDB error is named {@code DynamoDB.<exception>}
 * ({@code DynamoDB.ConditionalCheckFailedException}, {@code DynamoDB.ResourceNotFoundException}, and
 * {@code DynamoDB.AmazonDynamoDBException} for errors DynamoDB's model does not name, such as ValidationException)
 * with a cause in the form {@code <message> (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ...; Request ID:
 * ...; Proxy: null)}; Parameters that the integration does not take fail with {@code States.Runtime}.
 */
public final class DynamoDbTaskHandler implements TaskHandler {
    private static final String SERVICE = "dynamodb";
    private static final String UNMODELED_ERROR = "AmazonDynamoDBException";
    private static final Set<String> WRITE_PARAMETERS = Set.of("TableName", "ConditionalOperator", "ConditionExpression",
            "Expected", "ExpressionAttributeNames", "ExpressionAttributeValues", "ReturnConsumedCapacity",
            "ReturnItemCollectionMetrics", "ReturnValues");

    /** The Parameters Step Functions' optimized integration accepts for each action (a subset of DynamoDB's API). */
    private static final Map<String, Set<String>> PARAMETERS = Map.of(
            "getItem", Set.of("TableName", "Key", "AttributesToGet", "ConsistentRead", "ExpressionAttributeNames",
                    "ProjectionExpression", "ReturnConsumedCapacity"),
            "putItem", union(WRITE_PARAMETERS, Set.of("Item")),
            "deleteItem", union(WRITE_PARAMETERS, Set.of("Key")),
            "updateItem", union(WRITE_PARAMETERS, Set.of("Key", "AttributeUpdates", "UpdateExpression")));

    private final DynamoDbClient client;
    private final Executor executor;

    /**
     * @param executor where the blocking DynamoDB calls run
     */
    public DynamoDbTaskHandler(DynamoDbClient client, Executor executor) {
        this.client = Objects.requireNonNull(client, "client");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public String service() {
        return SERVICE;
    }

    @Override
    public String check(TaskResource resource) {
        if (PARAMETERS.containsKey(resource.action()) && resource.pattern() == TaskResource.Pattern.REQUEST_RESPONSE) {
            return null;
        }
        return "The embedded engine runs arn:aws:states:::dynamodb:putItem|getItem|updateItem|deleteItem "
                + "(request-response); '" + resource.arn() + "' is not supported";
    }

    @Override
    public CompletableFuture<JsonNode> start(TaskRequest request) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(run(request));
                } catch (Throwable e) {
                    result.completeExceptionally(failure(e));
                }
            });
        } catch (Throwable e) {
            result.completeExceptionally(new StatesException(StatesErrors.TASK_FAILED,
                    "The DynamoDB call of state '" + request.stateName() + "' could not be scheduled: " + e, e));
        }
        return result;
    }

    private JsonNode run(TaskRequest request) {
        TaskResource resource = request.resource();
        String unsupported = check(resource);
        if (unsupported != null) {
            throw new StatesException(StatesErrors.RUNTIME, unsupported);
        }
        JsonNode parameters = request.parameters() == null ? Json.object() : request.parameters();
        try {
            checkParameters(resource.action(), parameters);
            return switch (resource.action()) {
                case "putItem" -> call(parameters, PutItemRequest.builder(), client::putItem);
                case "getItem" -> call(parameters, GetItemRequest.builder(), client::getItem);
                case "updateItem" -> call(parameters, UpdateItemRequest.builder(), client::updateItem);
                case "deleteItem" -> call(parameters, DeleteItemRequest.builder(), client::deleteItem);
                default -> throw new IllegalStateException("unreachable: " + resource.action());
            };
        } catch (InvalidParameters e) {
            throw new StatesException(StatesErrors.RUNTIME, "An error occurred while executing the state '"
                    + request.stateName() + "'. The Parameters '" + Json.abbreviate(parameters)
                    + "' could not be used to start the Task: [" + e.getMessage() + "]");
        }
    }

    private static void checkParameters(String action, JsonNode parameters) {
        if (!parameters.isObject()) {
            throw new InvalidParameters("The Parameters must be a JSON object");
        }
        Set<String> allowed = PARAMETERS.get(action);
        for (Map.Entry<String, JsonNode> field : parameters.properties()) {
            if (!allowed.contains(field.getKey())) {
                throw new InvalidParameters("The field \"" + field.getKey() + "\" is not supported by Step Functions; "
                        + "dynamodb:" + action + " takes " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    private static <T extends SdkPojo, B extends SdkPojo & SdkBuilder<B, T>, R extends AwsResponse> JsonNode call(
            JsonNode parameters, B builder, Function<T, R> operation) {
        T sdkRequest;
        try {
            sdkRequest = SdkJson.fromJson(parameters, builder);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameters(e.getMessage());
        }
        R response = operation.apply(sdkRequest);
        ObjectNode out = SdkJson.toJson(response);
        out.set("SdkHttpMetadata", httpMetadata(response.sdkHttpResponse()));
        ObjectNode responseMetadata = out.putObject("SdkResponseMetadata");
        responseMetadata.put("RequestId", response.responseMetadata().requestId());
        return out;
    }

    private static ObjectNode httpMetadata(SdkHttpResponse http) {
        ObjectNode metadata = Json.object();
        ObjectNode all = metadata.putObject("AllHttpHeaders");
        ObjectNode first = metadata.putObject("HttpHeaders");
        if (http != null) {
            for (Map.Entry<String, List<String>> header : http.headers().entrySet()) {
                header.getValue().forEach(all.putArray(header.getKey())::add);
                if (!header.getValue().isEmpty()) {
                    first.put(header.getKey(), header.getValue().get(0));
                }
            }
        }
        metadata.put("HttpStatusCode", http == null ? 200 : http.statusCode());
        return metadata;
    }

    private static StatesException failure(Throwable e) {
        if (e instanceof StatesException states) {
            return states;
        }
        if (e instanceof AwsServiceException service) {
            return serviceFailure(service);
        }
        if (e instanceof SdkClientException client) {
            return new StatesException("DynamoDB.SdkClientException", String.valueOf(client.getMessage()), client);
        }
        if (e instanceof SdkException sdk) {
            return new StatesException("DynamoDB." + UNMODELED_ERROR, String.valueOf(sdk.getMessage()), sdk);
        }
        return new StatesException(StatesErrors.TASK_FAILED, "The DynamoDB task failed unexpectedly: " + e, e);
    }

    private static StatesException serviceFailure(AwsServiceException e) {
        String exception = e instanceof DynamoDbException && e.getClass() != DynamoDbException.class
                ? e.getClass().getSimpleName() : UNMODELED_ERROR;
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details != null && details.errorCode() != null ? details.errorCode() : exception;
        String message = details != null && details.errorMessage() != null ? details.errorMessage() : "";
        String cause = message + " (Service: AmazonDynamoDBv2; Status Code: " + e.statusCode() + "; Error Code: " + code
                + "; Request ID: " + e.requestId() + "; Proxy: null)";
        return new StatesException("DynamoDB." + exception, cause, e);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static final class InvalidParameters extends RuntimeException {
        InvalidParameters(String message) {
            super(message, null, false, false);
        }
    }
}
