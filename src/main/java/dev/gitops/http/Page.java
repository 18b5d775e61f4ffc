package dev.gitops.http;

import java.util.List;

/** A list answer: {@code {"items": [...], "nextToken"}}, the token null on the last page. */
public record Page<T>(List<T> items, String nextToken) {
    public static <T> Page<T> of(List<T> items) {
        return new Page<>(items, null);
    }
}
