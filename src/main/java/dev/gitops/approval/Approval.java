package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.aws.Items;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;

/**
 * One approval as stored: what is to be approved and its decision. {@code status} is {@code pending}, then once and
 * for all {@code approved}, {@code rejected}, {@code superseded} or {@code expired}.
 */
public record Approval(String id, String status, String taskToken, String execution, String repository, String stack,
                       String dir, String environment, String lockId, String branch, String sha, String message,
                       String pusher, JsonNode planSummary, String planLocation, String planSha256, Instant createdAt,
                       Instant expiresAt, String decidedBy, Instant decidedAt, String via) {

    static Approval from(Map<String, AttributeValue> item) {
        return new Approval(Items.string(item, "id"), Items.string(item, "status"), Items.string(item, "taskToken"), Items.string(item, "execution"),
                Items.string(item, "repository"), Items.string(item, "stack"), Items.string(item, "dir"), Items.string(item, "environment"), Items.string(item, "lockId"),
                Items.string(item, "branch"), Items.string(item, "sha"), Items.string(item, "message"), Items.string(item, "pusher"),
                java.util.Objects.requireNonNullElseGet(Items.json(item, "planSummary"),
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance::objectNode),
                Items.string(item, "planLocation"), Items.string(item, "planSha256"),
                item.containsKey("createdAt") ? Instant.parse(Items.string(item, "createdAt")) : null,
                item.containsKey("expiresAt") ? Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())) : null,
                Items.string(item, "decidedBy"), item.containsKey("decidedAt") ? Instant.parse(Items.string(item, "decidedAt")) : null,
                Items.string(item, "via"));
    }


    public boolean pending() {
        return "pending".equals(status);
    }

    public String shortSha() {
        return sha == null ? "" : sha.substring(0, Math.min(7, sha.length()));
    }

    /** The execution's name, from its ARN. */
    public String executionName() {
        return execution == null ? "" : execution.substring(execution.lastIndexOf(':') + 1);
    }
}
