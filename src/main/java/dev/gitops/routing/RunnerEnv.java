package dev.gitops.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The variables local builds of one environment get instead of the operator's AWS credentials
 * ({@code gitops.environments.<env>.runner-env.plan} and {@code .apply}), so that a plan need not hold write access and
 * one environment's builds never hold another's credentials. Each is a profile name ({@code prd-readonly}, which means
 * {@code AWS_PROFILE=prd-readonly}) or variables ({@code AWS_PROFILE=prd,AWS_REGION=eu-west-1}). Empty: the builds
 * inherit the operator's credentials, like every other environment without its own.
 */
public record RunnerEnv(Map<String, String> plan, Map<String, String> apply) {
    public static final RunnerEnv SHARED = new RunnerEnv(Map.of(), Map.of());

    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9_.+@-]{1,64}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");

    /** Which build: {@code plan} (the read-only project) or {@code apply}. */
    public enum Action {
        PLAN, APPLY;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether this environment's builds have credentials of their own (for plan, apply or both). */
    public boolean configured() {
        return !plan.isEmpty() || !apply.isEmpty();
    }

    public Map<String, String> of(Action action) {
        return action == Action.PLAN ? plan : apply;
    }

    /** What a build of {@code action} runs with, for the log and {@code /health}: names, never values. */
    public String describe(Action action) {
        Map<String, String> variables = of(action);
        if (variables.isEmpty()) {
            return "the operator's credentials (shared by every environment without its own)";
        }
        if (variables.size() == 1 && variables.containsKey("AWS_PROFILE")) {
            return "profile " + variables.get("AWS_PROFILE");
        }
        return "variables " + String.join(", ", variables.keySet());
    }

    /**
     * Reads {@code runner-env} as configured ({@code plan} and {@code apply} keys).
     *
     * @param key      the setting's name, for the problems
     * @param problems where what is wrong is said
     */
    static RunnerEnv parse(Map<String, String> settings, String key, List<String> problems) {
        if (settings == null || settings.isEmpty()) {
            return SHARED;
        }
        Map<String, String> plan = Map.of();
        Map<String, String> apply = Map.of();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String action = setting.getKey().toLowerCase(Locale.ROOT);
            if (action.equals("plan")) {
                plan = variables(setting.getValue(), key + ".plan", problems);
            } else if (action.equals("apply")) {
                apply = variables(setting.getValue(), key + ".apply", problems);
            } else {
                problems.add(key + "." + setting.getKey() + " is not a setting: use " + key + ".plan and " + key + ".apply");
            }
        }
        return new RunnerEnv(plan, apply);
    }

    private static Map<String, String> variables(String value, String key, List<String> problems) {
        if (value == null || value.isBlank()) {
            return Map.of();
        }
        String text = value.trim();
        if (!text.contains("=")) {
            if (!PROFILE.matcher(text).matches()) {
                problems.add(key + " '" + text + "' is neither a profile name nor VARIABLE=value pairs");
                return Map.of();
            }
            return Map.of("AWS_PROFILE", text);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
            if (eq < 0 || !VARIABLE.matcher(name).matches()) {
                bad.add("'" + name + "'");
            } else {
                variables.put(name, pair.substring(eq + 1).trim());
            }
        }
        if (!bad.isEmpty()) {
            problems.add(key + ": " + String.join(", ", bad) + " must be VARIABLE=value (upper-case names), separated by commas");
        }
        return java.util.Collections.unmodifiableMap(variables);
    }
}
