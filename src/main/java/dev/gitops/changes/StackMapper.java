package dev.gitops.changes;

import dev.gitops.routing.Glob;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps changed paths to the stacks of one environment, with their reasons: files in the stack, local modules it uses
 * (transitively), its environment's files ({@code backend_configs/<env>.config}, {@code env_specific_vars/<env>.tfvars}:
 * other environments' files do not count), {@code when_modified} globs and {@code depends_on}.
 */
final class StackMapper {
    private static final int MAX_REASONS = 20;

    private final Set<String> environments;

    /** @param environments every configured environment name (to recognize other environments' files and directories) */
    StackMapper(Set<String> environments) {
        this.environments = Set.copyOf(environments);
    }

    /** Every stack of the environment, for one reason ("new branch"). */
    List<StackChange> all(RepoModel model, String environment, String reason) {
        List<StackChange> all = new ArrayList<>();
        for (RepoModel.Instance stack : model.layout(environment, environments).instances()) {
            all.add(change(model, stack, environment, List.of(reason)));
        }
        return all;
    }

    /**
     * The stacks the changed paths mark. Each path is walked up its directories: the innermost stack directory owns it
     * (as a stack file or, matching the env-file patterns, as an environment's file), and every module directory on
     * the way marks the stacks that use that module.
     */
    List<StackChange> changed(RepoModel model, String environment, List<String> paths) {
        RepoModel.Layout layout = model.layout(environment, environments);
        Pattern backendConfig = envFile(model.config().backendConfig());
        Pattern varFile = envFile(model.config().varFile());
        Map<RepoModel.Instance, List<String>> reasons = new LinkedHashMap<>();
        for (String path : paths) {
            boolean owned = false;
            for (String dir = RepoModel.parent(path); ; dir = RepoModel.parent(dir)) {
                RepoModel.Instance stack = owned ? null : layout.byDir().get(dir);
                if (stack != null) {
                    owned = true;
                    String relative = dir.isEmpty() ? path : path.substring(dir.length() + 1);
                    String fileEnv = envOf(relative, backendConfig, varFile);
                    if (fileEnv == null) {
                        reasons.computeIfAbsent(stack, s -> new ArrayList<>()).add("changed " + path);
                    } else if (fileEnv.equals(environment)) {
                        reasons.computeIfAbsent(stack, s -> new ArrayList<>()).add("env file " + path);
                    }
                }
                List<RepoModel.Instance> users = layout.moduleUsers().get(dir);
                if (users != null) {
                    for (RepoModel.Instance user : users) {
                        reasons.computeIfAbsent(user, s -> new ArrayList<>()).add("uses module " + dir + " (changed " + path + ")");
                    }
                }
                if (dir.isEmpty()) {
                    break;
                }
            }
            for (RepoModel.Instance stack : layout.withGlobs()) {
                for (Glob glob : stack.whenModified()) {
                    if (glob.matches(path)) {
                        reasons.computeIfAbsent(stack, s -> new ArrayList<>()).add("matches when_modified " + glob + " (changed " + path + ")");
                    }
                }
            }
        }
        markDependents(layout, reasons);
        List<StackChange> result = new ArrayList<>();
        for (RepoModel.Instance stack : layout.instances()) {
            List<String> why = reasons.get(stack);
            if (why != null) {
                result.add(change(model, stack, environment, why));
            }
        }
        return result;
    }

    /** {@code depends_on}: a stack that depends on a marked one is marked too, transitively. */
    private static void markDependents(RepoModel.Layout layout, Map<RepoModel.Instance, List<String>> reasons) {
        Set<String> marked = new HashSet<>();
        reasons.keySet().forEach(i -> marked.add(i.def().name()));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (RepoModel.Instance stack : layout.instances()) {
                if (marked.contains(stack.def().name())) {
                    continue;
                }
                for (String dependency : stack.def().dependsOn()) {
                    if (marked.contains(dependency)) {
                        reasons.put(stack, new ArrayList<>(List.of("depends on stack " + dependency)));
                        marked.add(stack.def().name());
                        grew = true;
                        break;
                    }
                }
            }
        }
    }

    /** The stacks of {@code before} that {@code after} no longer has (their directory is gone). */
    List<String> removed(RepoModel before, RepoModel after, String environment) {
        if (before == after) {
            return List.of();
        }
        Set<String> now = after.layout(environment, environments).keys();
        List<String> removed = new ArrayList<>();
        for (RepoModel.Instance stack : before.layout(environment, environments).instances()) {
            if (!now.contains(stack.def().name() + "\u0000" + stack.dir()) && !after.hasDirectory(stack.dir())) {
                removed.add(stack.def().name());
            }
        }
        return removed;
    }

    private static StackChange change(RepoModel model, RepoModel.Instance stack, String environment, List<String> why) {
        List<String> reasons = why;
        if (why.size() > MAX_REASONS) {
            reasons = new ArrayList<>(why.subList(0, MAX_REASONS));
            reasons.add("and " + (why.size() - MAX_REASONS) + " more");
        }
        return new StackChange(stack.def().name(), stack.dir().isEmpty() ? "." : stack.dir(), List.copyOf(reasons),
                existing(model, stack.dir(), model.config().backendConfig(), environment),
                existing(model, stack.dir(), model.config().varFile(), environment));
    }

    private static String existing(RepoModel model, String dir, String pattern, String environment) {
        String path = (dir.isEmpty() ? "" : dir + "/") + pattern.replace("{env}", environment);
        return model.hasFile(path) ? path : null;
    }

    /** The environment a stack-relative path is the env file of, or null when it is not an env file. */
    private String envOf(String relative, Pattern... patterns) {
        for (Pattern pattern : patterns) {
            Matcher matcher = pattern.matcher(relative);
            if (matcher.matches() && environments.contains(matcher.group(1))) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static Pattern envFile(String pattern) {
        int at = pattern.indexOf("{env}");
        return Pattern.compile(Pattern.quote(pattern.substring(0, at)) + "([a-z0-9]+)"
                + Pattern.quote(pattern.substring(at + "{env}".length())));
    }
}
