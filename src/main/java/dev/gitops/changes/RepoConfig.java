package dev.gitops.changes;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A repository's {@code .gitops.yml}: which directories are stacks, what else marks them changed, and where their
 * per-environment files are. It describes stacks only: environments, branches and approval policy belong to the
 * server, so a push can never switch off its own approval.
 *
 * <pre>
 * version: 1
 * stacks:
 *   - name: network                      # required, unique
 *     dir: infra/network                 # required; relative to the repository; may contain {env}
 *     when_modified: [shared/*.tfvars]   # optional globs, relative to the repository, may contain {env}
 *     depends_on: [vpc]                  # optional: a change to stack vpc marks this one too
 * env_files:                             # optional; looked up in each stack's directory, then its parents up to the root
 *   backend_config: backend_configs/{env}.config
 *   var_file: env_specific_vars/{env}.tfvars
 * </pre>
 */
public record RepoConfig(List<StackConfig> stacks, String backendConfig, String varFile) {
    public static final String FILE = ".gitops.yml";
    public static final String DEFAULT_BACKEND_CONFIG = "backend_configs/{env}.config";
    public static final String DEFAULT_VAR_FILE = "env_specific_vars/{env}.tfvars";
    public static final RepoConfig DEFAULTS = new RepoConfig(null, DEFAULT_BACKEND_CONFIG, DEFAULT_VAR_FILE);

    /** Limits that keep one push's change detection short, whatever the file says. */
    static final int MAX_STACKS = 500;
    static final int MAX_GLOBS_PER_STACK = 50;
    static final int MAX_GLOBS = 2000;
    static final int MAX_GLOB_LENGTH = 256;
    static final int MAX_FILE_CHARACTERS = 512 * 1024;

    private static final Set<String> SERVER_KEYS = Set.of("environments", "branches", "approval", "approvals", "approvers",
            "approval_timeout", "approval-timeout", "promotes_to", "promotes-to", "auto_approve");
    private static final Set<String> TOP_KEYS = Set.of("version", "stacks", "env_files");
    private static final Set<String> STACK_KEYS = Set.of("name", "dir", "when_modified", "depends_on");
    private static final Set<String> ENV_FILE_KEYS = Set.of("backend_config", "var_file");

    /** One stack as the file describes it; {@code dir} may hold {@code {env}}. */
    public record StackConfig(String name, String dir, List<String> whenModified, List<String> dependsOn) {
    }

    /** A {@code .gitops.yml} that cannot be used, with every problem in it. */
    public static final class InvalidRepoConfig extends Exception {
        public InvalidRepoConfig(List<String> problems) {
            super(FILE + " is invalid: " + String.join("; ", problems));
        }
    }

    /** Stacks are listed in the file (else they are discovered from backend blocks). */
    public boolean listsStacks() {
        return stacks != null;
    }

    public static RepoConfig parse(String text) throws InvalidRepoConfig {
        Object root;
        try {
            if (text.length() > MAX_FILE_CHARACTERS) {
                throw new InvalidRepoConfig(List.of("the file has " + text.length() + " characters (at most "
                        + MAX_FILE_CHARACTERS + ")"));
            }
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(MAX_FILE_CHARACTERS * 2);
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new InvalidRepoConfig(List.of("not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
        }
        List<String> problems = new ArrayList<>();
        if (root == null) {
            return DEFAULTS;
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new InvalidRepoConfig(List.of("the file must be a mapping with 'stacks' and/or 'env_files'"));
        }
        keys(top, TOP_KEYS, "", problems);
        Object version = top.get("version");
        if (version != null && !Integer.valueOf(1).equals(version)) {
            problems.add("'version' must be 1");
        }
        List<StackConfig> stacks = null;
        if (top.containsKey("stacks")) {
            stacks = new ArrayList<>();
            Object list = top.get("stacks");
            if (!(list instanceof List<?> items)) {
                problems.add("'stacks' must be a list");
            } else if (items.size() > MAX_STACKS) {
                problems.add("'stacks' lists " + items.size() + " stacks (at most " + MAX_STACKS + ")");
            } else {
                Map<String, Integer> names = new LinkedHashMap<>();
                for (int i = 0; i < items.size(); i++) {
                    StackConfig stack = stack(items.get(i), "stacks[" + i + "]", problems);
                    if (stack != null) {
                        if (names.putIfAbsent(stack.name(), i) != null) {
                            problems.add("stacks[" + i + "]: the name '" + stack.name() + "' is also used by stacks["
                                    + names.get(stack.name()) + "]");
                        }
                        stacks.add(stack);
                    }
                }
                int globs = stacks.stream().mapToInt(stack -> stack.whenModified().size()).sum();
                if (globs > MAX_GLOBS) {
                    problems.add("the stacks have " + globs + " when_modified globs in all (at most " + MAX_GLOBS + ")");
                }
                for (StackConfig stack : stacks) {
                    for (String dependency : stack.dependsOn()) {
                        if (!names.containsKey(dependency)) {
                            problems.add("stack '" + stack.name() + "' depends on '" + dependency + "', which is not a stack here");
                        }
                    }
                }
            }
        }
        String backendConfig = DEFAULT_BACKEND_CONFIG;
        String varFile = DEFAULT_VAR_FILE;
        Object envFiles = top.get("env_files");
        if (envFiles instanceof Map<?, ?> files) {
            keys(files, ENV_FILE_KEYS, "env_files.", problems);
            backendConfig = envFile(files, "backend_config", DEFAULT_BACKEND_CONFIG, problems);
            varFile = envFile(files, "var_file", DEFAULT_VAR_FILE, problems);
        } else if (envFiles != null) {
            problems.add("'env_files' must be a mapping with backend_config and/or var_file");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRepoConfig(problems);
        }
        return new RepoConfig(stacks == null ? null : List.copyOf(stacks), backendConfig, varFile);
    }

    private static StackConfig stack(Object item, String at, List<String> problems) {
        if (!(item instanceof Map<?, ?> map)) {
            problems.add(at + " must be a mapping with name and dir");
            return null;
        }
        keys(map, STACK_KEYS, at + ".", problems);
        String name = string(map, "name", at, problems);
        String dir = string(map, "dir", at, problems);
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_./-]{0,99}")) {
            problems.add(at + ".name '" + name + "' must be 1-100 letters, digits, '_', '.', '-' or '/'");
        }
        if (dir != null) {
            String problem = pathProblem(dir);
            if (problem != null) {
                problems.add(at + ".dir '" + dir + "' " + problem);
            }
        }
        List<String> whenModified = strings(map, "when_modified", at, problems);
        if (whenModified.size() > MAX_GLOBS_PER_STACK) {
            problems.add(at + ".when_modified has " + whenModified.size() + " globs (at most " + MAX_GLOBS_PER_STACK + ")");
        }
        for (int i = 0; i < whenModified.size(); i++) {
            String glob = whenModified.get(i);
            if (glob.length() > MAX_GLOB_LENGTH) {
                problems.add(at + ".when_modified[" + i + "] is " + glob.length() + " characters long (at most "
                        + MAX_GLOB_LENGTH + ")");
                continue;
            }
            String problem = pathProblem(glob);
            if (problem != null) {
                problems.add(at + ".when_modified '" + glob + "' " + problem);
            }
        }
        List<String> dependsOn = strings(map, "depends_on", at, problems);
        if (name == null || dir == null) {
            return null;
        }
        return new StackConfig(name, normalize(dir), whenModified, dependsOn);
    }

    private static String envFile(Map<?, ?> files, String key, String fallback, List<String> problems) {
        Object value = files.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            problems.add("env_files." + key + " must be a path");
            return fallback;
        }
        String problem = pathProblem(text);
        if (problem != null) {
            problems.add("env_files." + key + " '" + text + "' " + problem);
        }
        if (!text.contains("{env}")) {
            problems.add("env_files." + key + " '" + text + "' must contain {env}");
        }
        return normalize(text);
    }

    /** Null for a relative path without '..'; else why not. */
    static String pathProblem(String path) {
        if (path.isBlank()) {
            return "is empty";
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
            return "must be relative to the repository, not absolute";
        }
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return "may not contain '..'";
            }
        }
        return null;
    }

    /** The canonical form of a relative path: {@code a/./b}, {@code a//b/} and {@code ./a/b} are all {@code a/b}. */
    static String normalize(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.replace('\\', '/').split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments.isEmpty() ? "." : String.join("/", segments);
    }

    private static void keys(Map<?, ?> map, Set<String> allowed, String at, List<String> problems) {
        for (Object key : map.keySet()) {
            String name = String.valueOf(key);
            if (SERVER_KEYS.contains(name)) {
                problems.add("'" + at + name + "' cannot be set by a repository: environments, branches and approval"
                        + " policy belong to the server's configuration");
            } else if (!allowed.contains(name)) {
                problems.add("unknown key '" + at + name + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String string(Map<?, ?> map, String key, String at, List<String> problems) {
        Object value = map.get(key);
        if (!(value instanceof String text) || text.isBlank()) {
            problems.add(at + "." + key + " is required and must be a string");
            return null;
        }
        return text;
    }

    private static List<String> strings(Map<?, ?> map, String key, String at, List<String> problems) {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(v -> v instanceof String)) {
            problems.add(at + "." + key + " must be a list of strings");
            return List.of();
        }
        return list.stream().map(String.class::cast).toList();
    }
}
