package dev.gitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** GitHub payloads for tests: the recorded fixtures under src/test/resources/github, with real commit ids put in. */
public final class Payloads {
    public static final String ZEROS = "0000000000000000000000000000000000000000";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Payloads() {
    }

    public static ObjectNode fixture(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/github/" + name + ".json")) {
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode push(String repository, String ref, String before, String after) {
        ObjectNode p = fixture("push");
        p.put("ref", ref);
        p.put("before", before);
        p.put("after", after);
        p.put("created", ZEROS.equals(before));
        ((ObjectNode) p.get("repository")).put("full_name", repository).put("name", repository.substring(repository.indexOf('/') + 1))
                .put("clone_url", "https://github.com/" + repository + ".git");
        ((ObjectNode) p.get("head_commit")).put("id", after);
        return p;
    }

    public static ObjectNode deletion(String repository, String branch, String before) {
        ObjectNode p = push(repository, "refs/heads/" + branch, before, ZEROS);
        p.put("deleted", true);
        p.put("created", false);
        p.putNull("head_commit");
        return p;
    }

    public static ObjectNode pullRequest(String repository, String action, int number, String headRepository,
                                         String headBranch, String headSha, String baseBranch, String baseSha) {
        ObjectNode p = fixture("pull_request");
        p.put("action", action);
        p.put("number", number);
        ObjectNode pr = (ObjectNode) p.get("pull_request");
        pr.put("number", number);
        ObjectNode head = (ObjectNode) pr.get("head");
        head.put("ref", headBranch).put("sha", headSha);
        ((ObjectNode) head.get("repo")).put("full_name", headRepository).put("clone_url", "https://github.com/" + headRepository + ".git");
        ObjectNode base = (ObjectNode) pr.get("base");
        base.put("ref", baseBranch).put("sha", baseSha);
        ((ObjectNode) base.get("repo")).put("full_name", repository).put("clone_url", "https://github.com/" + repository + ".git");
        ((ObjectNode) p.get("repository")).put("full_name", repository);
        return p;
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
