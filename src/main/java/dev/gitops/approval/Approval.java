package dev.gitops.approval;

import com.fasterxml.jackson.databind.JsonNode;
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
        return new Approval(s(item, "id"), s(item, "status"), s(item, "taskToken"), s(item, "execution"),
                s(item, "repository"), s(item, "stack"), s(item, "dir"), s(item, "environment"), s(item, "lockId"),
                s(item, "branch"), s(item, "sha"), s(item, "message"), s(item, "pusher"),
                Notifications.parse(s(item, "planSummary") == null ? "{}" : s(item, "planSummary")),
                s(item, "planLocation"), s(item, "planSha256"),
                item.containsKey("createdAt") ? Instant.parse(s(item, "createdAt")) : null,
                item.containsKey("expiresAt") ? Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())) : null,
                s(item, "decidedBy"), item.containsKey("decidedAt") ? Instant.parse(s(item, "decidedAt")) : null,
                s(item, "via"));
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
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
