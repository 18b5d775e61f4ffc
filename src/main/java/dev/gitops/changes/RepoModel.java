package dev.gitops.changes;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
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
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What one commit says about its Terraform: its stacks (listed in {@code .gitops.yml}, else every directory with a
 * backend block), the local modules each directory calls, and its files. Immutable; built once per tree.
 */
final class RepoModel {
    /** A stack as declared; {@code dir} may hold {@code {env}}. */
    record StackDef(String name, String dir, List<String> whenModified, List<String> dependsOn, boolean discovered) {
    }

    private final RepoConfig config;
    private final String configProblem;
    private final List<StackDef> stacks;
    private final Map<String, List<String>> moduleCalls;
    private final Set<String> files;

    private RepoModel(RepoConfig config, String configProblem, List<StackDef> stacks, Map<String, List<String>> moduleCalls,
                      Set<String> files) {
        this.config = config;
        this.configProblem = configProblem;
        this.stacks = stacks;
        this.moduleCalls = moduleCalls;
        this.files = files;
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
        return files.contains(path);
    }

    /** Whether any file lies in {@code dir} or below it. */
    boolean hasDirectory(String dir) {
        if (dir.isEmpty()) {
            return !files.isEmpty();
        }
        String prefix = dir + "/";
        for (String file : files) {
            if (file.startsWith(prefix)) {
                return true;
            }
        }
        return false;
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
     * Reads a commit's tree. {@code scans} returns the scan of a {@code .tf} blob (the caller caches by blob id, so
     * a new commit scans only the files that changed).
     */
    static RepoModel build(Repository repository, RevTree tree, Function<ObjectId, TerraformScanner.Result> scans)
            throws IOException {
        Set<String> files = new HashSet<>();
        Map<String, ObjectId> terraform = new TreeMap<>();
        ObjectId configBlob = null;
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                String path = walk.getPathString();
                files.add(path);
                if (path.endsWith(".tf")) {
                    terraform.put(path, walk.getObjectId(0));
                } else if (path.equals(RepoConfig.FILE)) {
                    configBlob = walk.getObjectId(0);
                }
            }
        }
        RepoConfig config = RepoConfig.DEFAULTS;
        String problem = null;
        if (configBlob != null) {
            try (ObjectReader reader = repository.newObjectReader()) {
                config = RepoConfig.parse(new String(reader.open(configBlob).getBytes(), StandardCharsets.UTF_8));
            } catch (RepoConfig.InvalidRepoConfig e) {
                problem = e.getMessage();
            }
        }
        Set<String> backendDirs = new LinkedHashSet<>();
        Map<String, List<String>> calls = new HashMap<>();
        for (Map.Entry<String, ObjectId> file : terraform.entrySet()) {
            String dir = parent(file.getKey());
            TerraformScanner.Result scan = scans.apply(file.getValue());
            if (scan.hasBackend()) {
                backendDirs.add(dir);
            }
            for (String source : scan.moduleSources()) {
                if (source.startsWith("./") || source.startsWith("../")) {
                    String module = resolve(dir, source);
                    if (module != null) {
                        calls.computeIfAbsent(dir, d -> new ArrayList<>()).add(module);
                    }
                }
            }
        }
        List<StackDef> stacks = new ArrayList<>();
        if (config.listsStacks()) {
            for (RepoConfig.StackConfig s : config.stacks()) {
                stacks.add(new StackDef(s.name(), s.dir().equals(".") ? "" : s.dir(), s.whenModified(), s.dependsOn(), false));
            }
        } else {
            for (String dir : backendDirs) {
                stacks.add(new StackDef(dir.isEmpty() ? "root" : dir, dir, List.of(), List.of(), true));
            }
        }
        return new RepoModel(config, problem, List.copyOf(stacks), Map.copyOf(calls), Set.copyOf(files));
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
