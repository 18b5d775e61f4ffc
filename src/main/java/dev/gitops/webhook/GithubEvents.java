package dev.gitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.regex.Pattern;

/** The fields of GitHub's push and pull_request payloads the controller uses, checked. */
final class GithubEvents {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");

    /** A push: {@code ref} is {@code refs/heads/...}, {@code refs/tags/...} or another ref. */
    record Push(String repository, String cloneUrl, String ref, String before, String after, boolean deleted,
                boolean forced, String sender, String compareUrl, String message) {
    }

    /**
     * A pull request event. {@code headRepository} is null when the fork was deleted; {@code updatedAt} (when the pull
     * request last changed: a reopen has a new one, a copy of the same delivery the same) may be null.
     */
    record PullRequest(String action, int number, String repository, String cloneUrl, String headRepository,
                       String headRef, String headSha, String baseRef, String baseSha, String sender, String url,
                       String title, String updatedAt) {
        boolean fromFork() {
            return headRepository == null || !headRepository.equalsIgnoreCase(repository);
        }
    }

    private GithubEvents() {
    }

    static Push push(JsonNode payload) throws BadPayload {
        JsonNode repository = object(payload, "repository", "push");
        String fullName = repositoryName(repository, "repository");
        boolean deleted = payload.path("deleted").asBoolean(false);
        String after = sha(payload, "after", "push");
        return new Push(fullName, text(repository, "clone_url", "repository"), text(payload, "ref", "push"),
                sha(payload, "before", "push"), after, deleted, payload.path("forced").asBoolean(false),
                optional(payload.path("sender"), "login"), optional(payload, "compare"),
                optional(payload.path("head_commit"), "message"));
    }

    static PullRequest pullRequest(JsonNode payload) throws BadPayload {
        String action = text(payload, "action", "pull_request");
        JsonNode pr = object(payload, "pull_request", "pull_request");
        JsonNode base = object(pr, "base", "pull_request");
        JsonNode head = object(pr, "head", "pull_request");
        JsonNode baseRepo = object(base, "repo", "pull_request.base");
        JsonNode headRepo = head.path("repo");
        int number = payload.path("number").asInt(pr.path("number").asInt(0));
        if (number <= 0) {
            throw new BadPayload("the pull_request payload has no pull request number");
        }
        return new PullRequest(action, number, repositoryName(baseRepo, "pull_request.base.repo"),
                text(baseRepo, "clone_url", "pull_request.base.repo"),
                headRepo.isObject() ? optional(headRepo, "full_name") : null,
                text(head, "ref", "pull_request.head"), sha(head, "sha", "pull_request.head"),
                text(base, "ref", "pull_request.base"), sha(base, "sha", "pull_request.base"),
                optional(payload.path("sender"), "login"), optional(pr, "html_url"), optional(pr, "title"),
                optional(pr, "updated_at"));
    }

    private static String repositoryName(JsonNode repository, String where) throws BadPayload {
        String name = text(repository, "full_name", where);
        if (!REPOSITORY.matcher(name).matches() || name.contains("..")) {
            throw new BadPayload(where + ".full_name '" + name + "' is not an owner/repository name");
        }
        return name;
    }

    private static JsonNode object(JsonNode node, String field, String where) throws BadPayload {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw new BadPayload("the " + where + " payload has no '" + field + "' object");
        }
        return value;
    }

    private static String text(JsonNode node, String field, String where) throws BadPayload {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new BadPayload("the " + where + " payload has no '" + field + "'");
        }
        return value.asText();
    }

    private static String sha(JsonNode node, String field, String where) throws BadPayload {
        String value = text(node, field, where);
        if (!SHA.matcher(value).matches()) {
            throw new BadPayload("'" + field + "' in the " + where + " payload is not a 40-character commit id: '"
                    + (value.length() > 50 ? value.substring(0, 50) + "…" : value) + "'");
        }
        return value;
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
