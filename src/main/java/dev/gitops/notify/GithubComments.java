package dev.gitops.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pull request's comments through GitHub's issues API ({@link GithubApi}; the token needs to write pull requests'
 * comments: {@code repo}, or a fine-grained token with pull requests: write): find the one carrying a marker
 * ({@code GET /repos/{owner}/{repo}/issues/{number}/comments}), create one ({@code POST} there), edit one
 * ({@code PATCH /repos/{owner}/{repo}/issues/comments/{id}}). The caller runs them as background work.
 */
@Singleton
public class GithubComments {
    private static final int PAGES = 30;
    private static final TypeReference<List<Comment>> LIST = new TypeReference<>() { };

    /** A comment as GitHub lists it (the parts used here). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comment(long id, String body) {
    }

    private final GithubApi github;

    GithubComments(GithubApi github) {
        this.github = github;
    }

    /** Whether a token is configured. */
    public boolean configured() {
        return github.configured();
    }

    /** The first comment of the pull request whose body contains {@code marker}. */
    public Optional<Comment> find(String repository, int number, String marker) throws GithubApi.Unavailable {
        String url = github.url("/repos/" + repository + "/issues/" + number + "/comments?per_page=100");
        for (int page = 0; page < PAGES && url != null; page++) {
            GithubApi.Page<Comment> comments = github.page(url, LIST, "listing the comments of " + repository + "#" + number);
            for (Comment comment : comments.items()) {
                if (comment.body() != null && comment.body().contains(marker)) {
                    return Optional.of(comment);
                }
            }
            url = comments.next();
        }
        return Optional.empty();
    }

    /** Creates a comment; its id. */
    public long create(String repository, int number, String body) throws GithubApi.Unavailable {
        String what = "commenting on " + repository + "#" + number;
        return github.read(github.send(HttpRequest.newBuilder(URI.create(github.url("/repos/" + repository + "/issues/"
                + number + "/comments"))).POST(github.json(Map.of("body", body))), what), Comment.class, what).id();
    }

    /** Replaces comment {@code id}'s body. */
    public void edit(String repository, long id, String body) throws GithubApi.Unavailable {
        github.send(HttpRequest.newBuilder(URI.create(github.url("/repos/" + repository + "/issues/comments/" + id)))
                .method("PATCH", github.json(Map.of("body", body))), "editing comment " + id + " of " + repository);
    }
}
