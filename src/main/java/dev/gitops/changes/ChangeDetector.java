package dev.gitops.changes;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.util.io.DisabledOutputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gitops.routing.Glob;

/**
 * Finds the Terraform stacks an event changed in one environment. Fetches what the event needs into the
 * {@link GitMirror}, diffs the trees (renames count both paths), and maps each changed path to stacks: files in the
 * stack, local modules it uses (transitively), its environment's files ({@code backend_configs/<env>.config},
 * {@code env_specific_vars/<env>.tfvars}: other environments' files do not count), {@code when_modified} globs and
 * {@code depends_on}. Every stack comes with its reasons.
 */
public final class ChangeDetector {
    private static final int MAX_REASONS = 20;
    private static final int MODEL_CACHE = 64;
    private static final int SCAN_CACHE = 100_000;

    private final GitMirror mirror;
    private final Set<String> environments;
    private final Map<ObjectId, RepoModel> models = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ObjectId, RepoModel> eldest) {
            return size() > MODEL_CACHE;
        }
    };
    private final Map<ObjectId, TerraformScanner.Result> scans = new ConcurrentHashMap<>();

    /** @param environments every configured environment name (to recognize other environments' files and directories) */
    public ChangeDetector(GitMirror mirror, Collection<String> environments) {
        this.mirror = mirror;
        this.environments = Set.copyOf(environments);
    }

    public Detection detect(ChangeRequest request) throws IOException, GitMirror.FetchFailed {
        ObjectId after = ObjectId.fromString(request.after());
        List<ObjectId> wanted = new ArrayList<>(List.of(after));
        ObjectId before = null;
        if (!ChangeRequest.ZEROS.equals(request.before())) {
            before = ObjectId.fromString(request.before());
            wanted.add(before);
        }
        List<String> refs = new ArrayList<>();
        if (request.ref() != null) {
            refs.add(request.ref());
        }
        if (request.baseRef() != null) {
            refs.add(request.baseRef());
        }
        List<ObjectId> missing = mirror.fetch(request.repository(), request.cloneUrl(), refs, wanted);
        Repository repository = mirror.repository(request.repository());
        if (missing.contains(after)) {
            throw new GitMirror.FetchFailed("commit " + after.name() + " is not in " + GitMirror.redactUrl(request.cloneUrl())
                    + " (pushed and then overwritten?)", null);
        }
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit head = walk.parseCommit(after);
            RepoModel model = model(repository, head);
            if (model.configProblem() != null) {
                return new Detection(List.of(), List.of(), model.configProblem());
            }
            RevCommit base = null;
            String everything = null;
            if (request.pullRequest() || request.newBranch()) {
                ObjectId other = request.pullRequest() && before != null && !missing.contains(before) ? before
                        : resolve(repository, request.baseRef());
                base = other == null ? null : mergeBase(walk, head, walk.parseCommit(other));
                if (base == null) {
                    everything = request.pullRequest() ? "no common history with " + request.baseRef()
                            : "new branch" + (request.baseRef() == null ? "" : " with no common history with "
                            + request.baseRef().replaceFirst("^refs/heads/", ""));
                }
            } else if (missing.contains(before)) {
                everything = "before commit " + before.name().substring(0, 7) + " could not be fetched (rewritten"
                        + " history?): every stack is planned";
            } else {
                base = walk.parseCommit(before);
            }
            if (everything != null) {
                List<StackChange> all = new ArrayList<>();
                for (Instance stack : instances(model, request.environment())) {
                    all.add(change(model, stack, request.environment(), List.of(everything)));
                }
                return new Detection(all, List.of(), null);
            }
            List<String> changed = changedPaths(repository, base, head);
            RepoModel baseModel = model(repository, base);
            return new Detection(mark(model, request.environment(), changed), removed(baseModel, model, request.environment()), null);
        }
    }

    private static ObjectId resolve(Repository repository, String ref) throws IOException {
        if (ref == null) {
            return null;
        }
        Ref found = repository.exactRef(ref);
        return found == null ? null : found.getObjectId();
    }

    private static RevCommit mergeBase(RevWalk walk, RevCommit a, RevCommit b) throws IOException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(a);
        walk.markStart(b);
        RevCommit base = walk.next();
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        return base == null ? null : walk.parseCommit(base);
    }

    private static List<String> changedPaths(Repository repository, RevCommit base, RevCommit head) throws IOException {
        Set<String> paths = new LinkedHashSet<>();
        try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            diff.setDetectRenames(true);
            for (DiffEntry entry : diff.scan(base.getTree(), head.getTree())) {
                if (!DiffEntry.DEV_NULL.equals(entry.getOldPath())) {
                    paths.add(entry.getOldPath());
                }
                if (!DiffEntry.DEV_NULL.equals(entry.getNewPath())) {
                    paths.add(entry.getNewPath());
                }
            }
        }
        return List.copyOf(paths);
    }

    private RepoModel model(Repository repository, RevCommit commit) throws IOException {
        ObjectId tree = commit.getTree().getId();
        synchronized (models) {
            RepoModel cached = models.get(tree);
            if (cached != null) {
                return cached;
            }
        }
        RepoModel model;
        try (ObjectReader reader = repository.newObjectReader()) {
            model = RepoModel.build(repository, commit.getTree(), blob -> scan(reader, blob));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        synchronized (models) {
            models.put(tree, model);
        }
        return model;
    }

    /** A .tf file's scan, cached by blob id: the same file content is never read twice. */
    private TerraformScanner.Result scan(ObjectReader reader, ObjectId blob) {
        TerraformScanner.Result result = scans.get(blob);
        if (result == null) {
            try {
                result = TerraformScanner.scan(new String(reader.open(blob).getBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (scans.size() >= SCAN_CACHE) {
                scans.clear();
            }
            scans.put(blob, result);
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------ mapping

    /** A stack in one environment: directory and globs with {@code {env}} filled in. */
    private record Instance(RepoModel.StackDef def, String dir, List<Glob> whenModified) {
    }

    private List<Instance> instances(RepoModel model, String environment) {
        List<Instance> instances = new ArrayList<>();
        for (RepoModel.StackDef def : model.stacks()) {
            String dir = def.dir().replace("{env}", environment);
            if (def.dir().contains("{env}") && !model.hasDirectory(dir)) {
                continue;
            }
            String own = environmentOf(dir);
            if (def.discovered() && own != null && !own.equals(environment)) {
                continue;
            }
            instances.add(new Instance(def, dir, def.whenModified().stream().map(g -> Glob.of(g.replace("{env}", environment))).toList()));
        }
        return instances;
    }

    /** The environment a directory belongs to by its path ({@code environments/<env>/...}), or null. */
    private String environmentOf(String dir) {
        String[] segments = dir.split("/");
        for (int i = 0; i + 1 < segments.length; i++) {
            if (segments[i].equals("environments") && environments.contains(segments[i + 1])) {
                return segments[i + 1];
            }
        }
        return null;
    }

    private List<StackChange> mark(RepoModel model, String environment, List<String> changed) {
        List<Instance> instances = instances(model, environment);
        Pattern backendConfig = envFile(model.config().backendConfig());
        Pattern varFile = envFile(model.config().varFile());
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (Instance stack : instances) {
            List<String> why = new ArrayList<>();
            Set<String> modules = model.modulesUsedBy(stack.dir());
            for (String path : changed) {
                if (under(path, stack.dir()) && stack.dir().equals(owner(instances, path))) {
                    String relative = stack.dir().isEmpty() ? path : path.substring(stack.dir().length() + 1);
                    String fileEnv = envOf(relative, backendConfig, varFile);
                    if (fileEnv == null) {
                        why.add("changed " + path);
                    } else if (fileEnv.equals(environment)) {
                        why.add("env file " + path);
                    }
                }
                for (String module : modules) {
                    if (under(path, module)) {
                        why.add("uses module " + module + " (changed " + path + ")");
                    }
                }
                for (Glob glob : stack.whenModified()) {
                    if (glob.matches(path)) {
                        why.add("matches when_modified " + glob + " (changed " + path + ")");
                    }
                }
            }
            if (!why.isEmpty()) {
                reasons.put(stack.def().name(), why);
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Instance stack : instances) {
                if (reasons.containsKey(stack.def().name())) {
                    continue;
                }
                for (String dependency : stack.def().dependsOn()) {
                    if (reasons.containsKey(dependency)) {
                        reasons.put(stack.def().name(), new ArrayList<>(List.of("depends on stack " + dependency)));
                        grew = true;
                        break;
                    }
                }
            }
        }
        List<StackChange> result = new ArrayList<>();
        for (Instance stack : instances) {
            List<String> why = reasons.get(stack.def().name());
            if (why != null) {
                result.add(change(model, stack, environment, why));
            }
        }
        return result;
    }

    private StackChange change(RepoModel model, Instance stack, String environment, List<String> why) {
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

    private List<String> removed(RepoModel before, RepoModel after, String environment) {
        Set<String> now = new LinkedHashSet<>();
        for (Instance stack : instances(after, environment)) {
            now.add(stack.def().name() + "\u0000" + stack.dir());
        }
        List<String> removed = new ArrayList<>();
        for (Instance stack : instances(before, environment)) {
            if (!now.contains(stack.def().name() + "\u0000" + stack.dir()) && !after.hasDirectory(stack.dir())) {
                removed.add(stack.def().name());
            }
        }
        return removed;
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

    private static boolean under(String path, String dir) {
        return dir.isEmpty() || path.startsWith(dir + "/");
    }

    /** The directory of the innermost stack a path belongs to. */
    private static String owner(List<Instance> instances, String path) {
        String best = null;
        for (Instance stack : instances) {
            if (under(path, stack.dir()) && (best == null || stack.dir().length() > best.length())) {
                best = stack.dir();
            }
        }
        return best;
    }
}
