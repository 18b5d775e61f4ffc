package dev.gitops.changes;

import dev.gitops.routing.Glob;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What one commit says about its Terraform: its stacks (listed in {@code .gitops.yml}, else every directory with a
 * backend block) and the local modules each directory calls. Immutable; built once per tree, from the whole tree or
 * from its parent's model and the diff between them. Files are looked up in the commit's tree when asked.
 */
final class RepoModel {
    /** A stack as declared; {@code dir} may hold {@code {env}}. */
    record StackDef(String name, String dir, List<String> whenModified, List<String> dependsOn, boolean discovered) {
    }

    /**
     * A stack in one environment: its directory and globs with {@code {env}} filled in, and, when the directory belongs
     * to another environment (or to none configured), why it does not run here.
     */
    record Instance(StackDef def, String dir, List<Glob> whenModified, String foreign) {
        boolean runsHere() {
            return foreign == null;
        }
    }

    /**
     * The stacks of one environment with indexes for mapping paths: stack by directory, and for each module directory
     * the stacks that use it (directly or through other modules). Stacks whose directory belongs to another environment
     * are in it too, so that their files are theirs, but they never run ({@link Instance#foreign()}).
     */
    record Layout(List<Instance> instances, Map<String, Instance> byDir, Map<String, List<Instance>> moduleUsers,
                  List<Instance> withGlobs, Set<String> keys) {
    }

    /** Directories whose children are environments' directories: {@code environments/prod/...}. */
    static final Set<String> ENVIRONMENT_DIRECTORIES = Set.of("environments", "envs", "env");

    private final Map<String, Layout> layouts = new ConcurrentHashMap<>();
    private final Repository repository;
    private final ObjectId tree;
    private final RepoConfig config;
    private final String configProblem;
    private final Map<String, TerraformScanner.Result> terraform;
    private final List<StackDef> stacks;
    private final Map<String, List<String>> moduleCalls;
    private final Map<String, Integer> modes = new ConcurrentHashMap<>();

    private RepoModel(Repository repository, ObjectId tree, RepoConfig config, String configProblem,
                      Map<String, TerraformScanner.Result> terraform) {
        this.repository = repository;
        this.tree = tree;
        this.config = config;
        this.configProblem = configProblem;
        this.terraform = terraform;
        Set<String> backendDirs = new TreeSet<>();
        Map<String, List<String>> calls = new HashMap<>();
        for (Map.Entry<String, TerraformScanner.Result> file : terraform.entrySet()) {
            String dir = parent(file.getKey());
            if (file.getValue().hasBackend()) {
                backendDirs.add(dir);
            }
            for (String source : file.getValue().moduleSources()) {
                if (source.startsWith("./") || source.startsWith("../")) {
                    String module = resolve(dir, source);
                    if (module != null) {
                        calls.computeIfAbsent(dir, d -> new ArrayList<>()).add(module);
                    }
                }
            }
        }
        List<StackDef> list = new ArrayList<>();
        if (config.listsStacks()) {
            for (RepoConfig.StackConfig s : config.stacks()) {
                list.add(new StackDef(s.name(), s.dir().equals(".") ? "" : s.dir(), s.whenModified(), s.dependsOn(), false));
            }
        } else {
            for (String dir : backendDirs) {
                list.add(new StackDef(dir.isEmpty() ? "root" : dir, dir, List.of(), List.of(), true));
            }
        }
        this.stacks = List.copyOf(list);
        this.moduleCalls = Map.copyOf(calls);
    }

    RepoConfig config() {
        return config;
    }

    /** Why {@code .gitops.yml} cannot be used, or null. */
    String configProblem() {
        return configProblem;
    }

    List<StackDef> stacks() {
        return stacks;
    }

    boolean hasFile(String path) {
        return mode(path) == FileMode.TYPE_FILE;
    }

    /** Whether the commit has this directory (with files in it: Git has no empty directories). */
    boolean hasDirectory(String dir) {
        return dir.isEmpty() || mode(dir) == FileMode.TYPE_TREE;
    }

    private int mode(String path) {
        return modes.computeIfAbsent(path, this::readMode);
    }

    private int readMode(String path) {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, tree)) {
            return walk == null ? FileMode.TYPE_MISSING : walk.getRawMode(0) & FileMode.TYPE_MASK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The stacks of {@code environment}, computed once per commit and environment. A stack whose directory has
     * {@code {env}} exists where that directory does, under the environment's name or one of its aliases (first found);
     * a stack under {@code environments|envs|env/<name>/} belongs to the environment {@code <name>} names, and does not
     * run in any other, whether discovered or listed in {@code .gitops.yml}.
     */
    Layout layout(String environment, EnvironmentNames names) {
        return layouts.computeIfAbsent(environment, env -> {
            List<Instance> instances = new ArrayList<>();
            for (StackDef def : stacks) {
                DetectionDeadline.check("laying out the stacks of " + env);
                String dir = def.dir();
                List<String> tokens = List.of(env);
                if (def.dir().contains("{env}")) {
                    dir = null;
                    for (String token : names.of(env)) {
                        String candidate = def.dir().replace("{env}", token);
                        if (hasDirectory(candidate)) {
                            dir = candidate;
                            tokens = List.of(token);
                            break;
                        }
                    }
                    if (dir == null) {
                        continue;
                    }
                }
                String token = tokens.get(0);
                String foreign = foreignTo(dir, env, names);
                if (foreign == null && !def.discovered() && !hasDirectory(dir)) {
                    // a listed directory must be one: a symlink could point into another environment's
                    foreign = "is not a directory in this commit";
                }
                instances.add(new Instance(def, dir, def.whenModified().stream()
                        .map(g -> Glob.of(g.replace("{env}", token))).toList(), foreign));
            }
            Map<String, Instance> byDir = new HashMap<>();
            Map<String, List<Instance>> moduleUsers = new HashMap<>();
            List<Instance> withGlobs = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            for (Instance instance : instances) {
                byDir.putIfAbsent(instance.dir(), instance);
                for (String module : modulesUsedBy(instance.dir())) {
                    moduleUsers.computeIfAbsent(module, m -> new ArrayList<>()).add(instance);
                }
                if (!instance.whenModified().isEmpty()) {
                    withGlobs.add(instance);
                }
                if (instance.runsHere()) {
                    keys.add(instance.def().name() + "\u0000" + instance.dir());
                }
            }
            return new Layout(List.copyOf(instances), Map.copyOf(byDir), Map.copyOf(moduleUsers), List.copyOf(withGlobs),
                    Set.copyOf(keys));
        });
    }

    /**
     * Null when {@code dir} may run in {@code environment}; else why not: the first {@code environments|envs|env/<name>}
     * on its path names another environment, or none configured.
     */
    static String foreignTo(String dir, String environment, EnvironmentNames names) {
        String[] segments = dir.split("/");
        for (int i = 0; i + 1 < segments.length; i++) {
            if (ENVIRONMENT_DIRECTORIES.contains(segments[i].toLowerCase(java.util.Locale.ROOT))) {
                String owner = names.owner(segments[i + 1]);
                if (owner == null) {
                    return "belongs to no configured environment: " + segments[i + 1];
                }
                return owner.equals(environment) ? null : "belongs to environment " + owner;
            }
        }
        return null;
    }

    /**
     * The file of {@code pattern} ({@code backend_configs/{env}.config}) that {@code dir} uses in {@code environment}:
     * looked up in the stack's directory, then in each parent up to the repository root, under the environment's name
     * and then its aliases; the first found wins. Null when there is none.
     */
    String envFile(String dir, String pattern, String environment, EnvironmentNames names) {
        int slash = pattern.lastIndexOf('/', pattern.indexOf("{env}"));
        String folder = slash < 0 ? null : pattern.substring(0, slash);
        for (String base = dir; ; base = parent(base)) {
            String prefix = base.isEmpty() ? "" : base + "/";
            if (folder == null || hasDirectory(prefix + folder)) {
                for (String token : names.of(environment)) {
                    String path = prefix + pattern.replace("{env}", token);
                    if (hasFile(path)) {
                        return path;
                    }
                }
            }
            if (base.isEmpty()) {
                return null;
            }
        }
    }

    /** Every local module directory {@code dir} uses, directly or through other modules, in breadth-first order. */
    Set<String> modulesUsedBy(String dir) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(moduleCalls.getOrDefault(dir, List.of()));
        while (!queue.isEmpty()) {
            String module = queue.pop();
            if (!module.equals(dir) && seen.add(module)) {
                queue.addAll(moduleCalls.getOrDefault(module, List.of()));
            }
        }
        return seen;
    }

    /**
     * Reads a whole commit tree. {@code scans} returns the scan of a {@code .tf} blob (the caller caches by blob id,
     * so the same content is never scanned twice).
     */
    static RepoModel build(Repository repository, RevTree tree, Function<ObjectId, TerraformScanner.Result> scans)
            throws IOException {
        Map<String, TerraformScanner.Result> terraform = new HashMap<>();
        ObjectId configBlob = null;
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            int entries = 0;
            while (walk.next()) {
                if (++entries % 256 == 0) {
                    DetectionDeadline.check("reading the tree (" + entries + " files so far)");
                }
                String path = walk.getPathString();
                if (path.endsWith(".tf")) {
                    terraform.put(path, scans.apply(walk.getObjectId(0)));
                } else if (path.equals(RepoConfig.FILE)) {
                    configBlob = walk.getObjectId(0);
                }
            }
        }
        return withConfig(repository, tree, configBlob, terraform);
    }

    /**
     * This model's successor: the commit whose tree differs from this one's by {@code changes} (a diff from this
     * model's tree). Only changed {@code .tf} files and {@code .gitops.yml} are read.
     */
    RepoModel derive(RevTree newTree, List<DiffEntry> changes,
                     Function<ObjectId, TerraformScanner.Result> scans) throws IOException {
        Map<String, TerraformScanner.Result> next = new HashMap<>(terraform);
        boolean configChanged = false;
        ObjectId configBlob = null;
        for (DiffEntry change : changes) {
            String oldPath = change.getOldPath();
            String newPath = change.getNewPath();
            if (!DiffEntry.DEV_NULL.equals(oldPath) && change.getChangeType() != DiffEntry.ChangeType.COPY) {
                next.remove(oldPath);
                configChanged |= oldPath.equals(RepoConfig.FILE);
            }
            if (!DiffEntry.DEV_NULL.equals(newPath)) {
                if (newPath.endsWith(".tf")) {
                    next.put(newPath, scans.apply(change.getNewId().toObjectId()));
                } else if (newPath.equals(RepoConfig.FILE)) {
                    configChanged = true;
                    configBlob = change.getNewId().toObjectId();
                }
            }
        }
        if (!configChanged) {
            return new RepoModel(repository, newTree.getId(), config, configProblem, next);
        }
        return withConfig(repository, newTree, configBlob, next);
    }

    private static RepoModel withConfig(Repository repository, RevTree tree, ObjectId configBlob,
                                        Map<String, TerraformScanner.Result> terraform) throws IOException {
        RepoConfig config = RepoConfig.DEFAULTS;
        String problem = null;
        if (configBlob != null) {
            try (ObjectReader reader = repository.newObjectReader()) {
                config = RepoConfig.parse(new String(reader.open(configBlob).getBytes(), StandardCharsets.UTF_8));
            } catch (RepoConfig.InvalidRepoConfig e) {
                problem = e.getMessage();
            }
        }
        return new RepoModel(repository, tree.getId(), config, problem, terraform);
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** {@code dir} joined with a relative {@code source}, normalized; null when it leaves the repository. */
    static String resolve(String dir, String source) {
        Deque<String> segments = new ArrayDeque<>();
        if (!dir.isEmpty()) {
            for (String s : dir.split("/")) {
                segments.addLast(s);
            }
        }
        String path = source;
        int query = path.indexOf("//");
        if (query >= 0) {
            path = path.substring(0, query);
        }
        for (String s : path.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.removeLast();
            } else {
                segments.addLast(s);
            }
        }
        return String.join("/", segments);
    }
}
