package dev.gitops.changes;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The names each configured environment goes by in a repository's directories and files: its own name, then its
 * aliases ({@code environments/prod/} and {@code backend_configs/prod.config} belong to {@code prd}). Matched without
 * regard to case.
 */
public final class EnvironmentNames {
    private final Map<String, List<String>> names;
    private final Map<String, String> owners;

    private EnvironmentNames(Map<String, List<String>> names) {
        this.names = names;
        Map<String, String> owners = new HashMap<>();
        names.forEach((env, tokens) -> tokens.forEach(token -> owners.putIfAbsent(token.toLowerCase(Locale.ROOT), env)));
        names.keySet().forEach(env -> owners.put(env, env));
        this.owners = Map.copyOf(owners);
    }

    /** @param names for each environment, its name and then its aliases */
    public static EnvironmentNames of(Map<String, List<String>> names) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        names.forEach((env, tokens) -> copy.put(env, List.copyOf(tokens.contains(env) ? tokens
                : java.util.stream.Stream.concat(java.util.stream.Stream.of(env), tokens.stream()).toList())));
        return new EnvironmentNames(Map.copyOf(copy));
    }

    /** The environment {@code token} (a directory or file name part) stands for, or null. */
    public String owner(String token) {
        return owners.get(token.toLowerCase(Locale.ROOT));
    }

    /** The names {@code environment}'s directories and files may carry: its name first. */
    public List<String> of(String environment) {
        return names.getOrDefault(environment, List.of(environment));
    }

    public Set<String> environments() {
        return names.keySet();
    }
}
