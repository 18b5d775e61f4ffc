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
    private static final int MODEL_CACHE = 512;
    private static final int SCAN_CACHE = 100_000;

    private final GitMirror mirror;
    private final Set<String> environments;
    /** Models by repository and tree: a model reads its repository, so two mirrors never share one. */
    private final Map<ModelKey, RepoModel> models = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ModelKey, RepoModel> eldest) {
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
                RepoModel model = model(repository, head);
                if (model.configProblem() != null) {
                    return new Detection(List.of(), List.of(), model.configProblem());
                }
                List<StackChange> all = new ArrayList<>();
                for (RepoModel.Instance stack : instances(model, request.environment())) {
                    all.add(change(model, stack, request.environment(), List.of(everything)));
                }
                return new Detection(all, List.of(), null);
            }
            List<DiffEntry> diff = diff(repository, base, head);
            RepoModel baseModel = model(repository, base);
            RepoModel model = cached(repository, head.getTree().getId());
            if (model == null) {
                model = derived(repository, baseModel, head, diff);
            }
            if (model.configProblem() != null) {
                return new Detection(List.of(), List.of(), model.configProblem());
            }
            List<String> changed = new ArrayList<>();
            for (DiffEntry entry : diff) {
                if (!DiffEntry.DEV_NULL.equals(entry.getOldPath())) {
                    changed.add(entry.getOldPath());
                }
                if (!DiffEntry.DEV_NULL.equals(entry.getNewPath()) && !entry.getNewPath().equals(entry.getOldPath())) {
                    changed.add(entry.getNewPath());
                }
            }
            boolean deletes = diff.stream().anyMatch(e -> e.getChangeType() == DiffEntry.ChangeType.DELETE
                    || e.getChangeType() == DiffEntry.ChangeType.RENAME);
            List<String> removed = deletes ? removed(baseModel, model, request.environment()) : List.of();
            return new Detection(mark(model, request.environment(), changed), removed, null);
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

    private static List<DiffEntry> diff(Repository repository, RevCommit base, RevCommit head) throws IOException {
        try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            diff.setDetectRenames(true);
            return diff.scan(base.getTree(), head.getTree());
        }
    }

    /** Repository by identity (a reopened mirror starts afresh), tree by id. */
    private record ModelKey(Repository repository, ObjectId tree) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ModelKey key && key.repository == repository && key.tree.equals(tree);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(repository) * 31 + tree.hashCode();
        }
    }

    private RepoModel cached(Repository repository, ObjectId tree) {
        synchronized (models) {
            return models.get(new ModelKey(repository, tree));
        }
    }

    private RepoModel remember(Repository repository, ObjectId tree, RepoModel model) {
        synchronized (models) {
            models.put(new ModelKey(repository, tree.copy()), model);
        }
        return model;
    }

    /** The head's model from its base's and the diff between them: only what changed is read. */
    private RepoModel derived(Repository repository, RepoModel base, RevCommit head, List<DiffEntry> diff) throws IOException {
        try (ObjectReader reader = repository.newObjectReader()) {
            return remember(repository, head.getTree().getId(), base.derive(head.getTree(), diff, blob -> scan(reader, blob)));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A commit's model: cached, or read from its whole tree. */
    private RepoModel model(Repository repository, RevCommit commit) throws IOException {
        RepoModel model = cached(repository, commit.getTree().getId());
        if (model != null) {
            return model;
        }
        try (ObjectReader reader = repository.newObjectReader()) {
            return remember(repository, commit.getTree().getId(), RepoModel.build(repository, commit.getTree(), blob -> scan(reader, blob)));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
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

    private List<RepoModel.Instance> instances(RepoModel model, String environment) {
        return model.layout(environment, environments).instances();
    }

    /**
     * Maps each changed path to the stacks it marks, by walking up its directories: the innermost stack directory
     * owns it (as a stack file or, matching the env-file patterns, as an environment's file), and every module
     * directory on the way marks the stacks that use that module.
     */
    private List<StackChange> mark(RepoModel model, String environment, List<String> changed) {
        RepoModel.Layout layout = model.layout(environment, environments);
        Pattern backendConfig = envFile(model.config().backendConfig());
        Pattern varFile = envFile(model.config().varFile());
        Map<RepoModel.Instance, List<String>> reasons = new LinkedHashMap<>();
        for (String path : changed) {
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
        Map<String, RepoModel.Instance> byName = new LinkedHashMap<>();
        layout.instances().forEach(i -> byName.put(i.def().name(), i));
        Set<String> marked = new java.util.HashSet<>();
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
        List<StackChange> result = new ArrayList<>();
        for (RepoModel.Instance stack : layout.instances()) {
            List<String> why = reasons.get(stack);
            if (why != null) {
                result.add(change(model, stack, environment, why));
            }
        }
        return result;
    }

    private StackChange change(RepoModel model, RepoModel.Instance stack, String environment, List<String> why) {
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
        if (before == after) {
            return List.of();
        }
        Set<String> now = after.layout(environment, environments).keys();
        List<String> removed = new ArrayList<>();
        for (RepoModel.Instance stack : instances(before, environment)) {
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
}
