package dev.gitops.changes;

import dev.gitops.routing.Glob;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps changed paths to the stacks of one environment, with their reasons: files in the stack, local modules it uses
 * (transitively), the environment files it resolves ({@code backend_configs/<env>.config},
 * {@code env_specific_vars/<env>.tfvars}, in its directory or a parent: other environments' files do not count),
 * {@code when_modified} globs and {@code depends_on}. A marked stack whose directory belongs to another environment is
 * not run but reported as skipped, with the reason.
 */
final class StackMapper {
    private static final int MAX_REASONS = 20;

    private final EnvironmentNames names;

    StackMapper(EnvironmentNames names) {
        this.names = names;
    }

    /** The stacks to run, and those that would have been but belong to another environment. */
    record Marked(List<StackChange> stacks, List<Detection.Skipped> skipped) {
    }

    /** Every stack of the environment, for one reason ("new branch"). */
    Marked all(RepoModel model, String environment, String reason) {
        Map<RepoModel.Instance, List<String>> reasons = new LinkedHashMap<>();
        for (RepoModel.Instance stack : model.layout(environment, names).instances()) {
            reasons.put(stack, List.of(reason));
        }
        return marked(model, model.layout(environment, names), environment, reasons);
    }

    /**
     * The stacks the changed paths mark. A path that is an environment's file (by the env-file patterns, looked up
     * from any of its parent directories) marks the stacks that resolve to it, in that environment only. Any other
     * path is walked up its directories: the innermost stack directory owns it, and every module directory on the way
     * marks the stacks that use that module.
     */
    Marked changed(RepoModel model, String environment, List<String> paths) {
        RepoModel.Layout layout = model.layout(environment, names);
        List<String> patterns = List.of(model.config().backendConfig(), model.config().varFile());
        Map<RepoModel.Instance, List<String>> reasons = new LinkedHashMap<>();
        for (String path : paths) {
            DetectionDeadline.check("mapping changed paths to stacks (at " + path + ")");
            EnvFile envFile = envFile(path, patterns);
            if (envFile != null) {
                if (envFile.environment().equals(environment)) {
                    for (RepoModel.Instance stack : layout.instances()) {
                        if (under(stack.dir(), envFile.base()) && resolvesTo(model, stack, environment, patterns, path)) {
                            reasons.computeIfAbsent(stack, s -> new ArrayList<>()).add("env file " + path);
                        }
                    }
                }
                continue;
            }
            boolean owned = false;
            for (String dir = RepoModel.parent(path); ; dir = RepoModel.parent(dir)) {
                RepoModel.Instance stack = owned ? null : layout.byDir().get(dir);
                if (stack != null) {
                    owned = true;
                    reasons.computeIfAbsent(stack, s -> new ArrayList<>()).add("changed " + path);
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
        return marked(model, layout, environment, reasons);
    }

    private Marked marked(RepoModel model, RepoModel.Layout layout, String environment,
                          Map<RepoModel.Instance, List<String>> reasons) {
        List<StackChange> stacks = new ArrayList<>();
        List<Detection.Skipped> skipped = new ArrayList<>();
        for (RepoModel.Instance stack : layout.instances()) {
            List<String> why = reasons.get(stack);
            if (why == null) {
                continue;
            }
            if (stack.runsHere()) {
                stacks.add(change(model, stack, environment, why));
            } else {
                skipped.add(new Detection.Skipped(display(stack.dir()), stack.foreign()));
            }
        }
        return new Marked(List.copyOf(stacks), List.copyOf(skipped));
    }

    /** Where a path is an environment's file: the directory its pattern is looked up from, and the environment. */
    private record EnvFile(String base, String environment) {
    }

    /**
     * The environment {@code path} is a file of, by the patterns: for some parent directory {@code base} of the path,
     * the rest is a pattern with {@code {env}} standing for a configured environment's name or alias. Null when the
     * path is no environment's file.
     */
    private EnvFile envFile(String path, List<String> patterns) {
        for (String base = RepoModel.parent(path); ; base = RepoModel.parent(base)) {
            String rest = base.isEmpty() ? path : path.substring(base.length() + 1);
            for (String pattern : patterns) {
                int at = pattern.indexOf("{env}");
                String prefix = pattern.substring(0, at);
                String suffix = pattern.substring(at + "{env}".length());
                if (rest.length() > prefix.length() + suffix.length() && rest.startsWith(prefix) && rest.endsWith(suffix)) {
                    String token = rest.substring(prefix.length(), rest.length() - suffix.length());
                    String owner = token.indexOf('/') < 0 ? names.owner(token) : null;
                    if (owner != null) {
                        return new EnvFile(base, owner);
                    }
                }
            }
            if (base.isEmpty()) {
                return null;
            }
        }
    }

    private boolean resolvesTo(RepoModel model, RepoModel.Instance stack, String environment, List<String> patterns,
                               String path) {
        for (String pattern : patterns) {
            if (path.equals(model.envFile(stack.dir(), pattern, environment, names))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code dir} is {@code base} or inside it. */
    private static boolean under(String dir, String base) {
        return base.isEmpty() || dir.equals(base) || dir.startsWith(base + "/");
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
        Set<String> now = after.layout(environment, names).keys();
        List<String> removed = new ArrayList<>();
        for (RepoModel.Instance stack : before.layout(environment, names).instances()) {
            if (stack.runsHere() && !now.contains(stack.def().name() + "\u0000" + stack.dir()) && !after.hasDirectory(stack.dir())) {
                removed.add(stack.def().name());
            }
        }
        return removed;
    }

    private StackChange change(RepoModel model, RepoModel.Instance stack, String environment, List<String> why) {
        List<String> reasons = why;
        if (why.size() > MAX_REASONS) {
            reasons = new ArrayList<>(why.subList(0, MAX_REASONS));
            reasons.add("and " + (why.size() - MAX_REASONS) + " more");
        }
        return new StackChange(stack.def().name(), display(stack.dir()), List.copyOf(reasons),
                model.envFile(stack.dir(), model.config().backendConfig(), environment, names),
                model.envFile(stack.dir(), model.config().varFile(), environment, names));
    }

    private static String display(String dir) {
        return dir.isEmpty() ? "." : dir;
    }
}
