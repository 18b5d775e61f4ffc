package dev.gitops.changes;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the Terraform stacks an event changed in one environment: fetches what the event needs into the
 * {@link GitMirror}, chooses what to compare with ({@link DiffBase}), diffs the trees (renames count both paths) and
 * hands the changed paths to the {@link StackMapper}; models of each commit come from the {@link ModelCache}.
 */
public final class ChangeDetector {
    private final GitMirror mirror;
    private final StackMapper mapper;
    private final ModelCache models = new ModelCache();
    private final Duration deadline;

    /** @param names every configured environment's names (to recognize environments' files and directories) */
    public ChangeDetector(GitMirror mirror, EnvironmentNames names) {
        this(mirror, names, GitConfiguration.DEFAULT_DETECTION_DEADLINE);
    }

    /** @param deadline how long one detection may take, fetch excluded (it has its own timeout) */
    public ChangeDetector(GitMirror mirror, EnvironmentNames names, Duration deadline) {
        this.mirror = mirror;
        this.mapper = new StackMapper(names);
        this.deadline = deadline;
    }

    /** Change detection went past {@code gitops.git.detection-deadline}. */
    public static final class TooLong extends RuntimeException {
        TooLong(String message) {
            super(message);
        }
    }

    /**
     * The stacks the request's change marks.
     *
     * @throws TooLong when it takes longer than the deadline
     */
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
        ObjectId fetchedBefore = before;
        return DetectionDeadline.within(deadline, () -> compare(request, repository, after, fetchedBefore, missing));
    }

    /** The part after the fetch, which the deadline bounds. */
    private Detection compare(ChangeRequest request, Repository repository, ObjectId after, ObjectId before,
                              List<ObjectId> missing) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit head = walk.parseCommit(after);
            DiffBase base = DiffBase.of(repository, walk, request, head, before, missing);
            if (base instanceof DiffBase.Everything everything) {
                RepoModel model = models.model(repository, head);
                if (model.configProblem() != null) {
                    return new Detection.InvalidConfig(model.configProblem());
                }
                StackMapper.Marked all = mapper.all(model, request.environment(), everything.reason());
                return new Detection.Stacks(all.stacks(), List.of(), all.skipped());
            }
            RevCommit from = ((DiffBase.Commit) base).base();
            List<DiffEntry> diff = diff(repository, from, head);
            RepoModel baseModel = models.model(repository, from);
            RepoModel model = models.model(repository, baseModel, head, diff);
            if (model.configProblem() != null) {
                return new Detection.InvalidConfig(model.configProblem());
            }
            boolean deletes = diff.stream().anyMatch(e -> e.getChangeType() == DiffEntry.ChangeType.DELETE
                    || e.getChangeType() == DiffEntry.ChangeType.RENAME);
            StackMapper.Marked changed = mapper.changed(model, request.environment(), paths(diff));
            return new Detection.Stacks(changed.stacks(), deletes ? mapper.removed(baseModel, model, request.environment())
                    : List.of(), changed.skipped());
        }
    }

    private static List<DiffEntry> diff(Repository repository, RevCommit base, RevCommit head) throws IOException {
        try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            diff.setDetectRenames(true);
            return diff.scan(base.getTree(), head.getTree());
        }
    }

    /** Every path the diff touches: both sides of a rename. */
    private static List<String> paths(List<DiffEntry> diff) {
        List<String> changed = new ArrayList<>();
        for (DiffEntry entry : diff) {
            if (!DiffEntry.DEV_NULL.equals(entry.getOldPath())) {
                changed.add(entry.getOldPath());
            }
            if (!DiffEntry.DEV_NULL.equals(entry.getNewPath()) && !entry.getNewPath().equals(entry.getOldPath())) {
                changed.add(entry.getNewPath());
            }
        }
        return changed;
    }
}
