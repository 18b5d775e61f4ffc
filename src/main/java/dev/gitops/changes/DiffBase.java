package dev.gitops.changes;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

import java.io.IOException;
import java.util.List;

/**
 * What a change is measured against: the commit before a push; for a pull request or a new branch, the merge base with
 * the base branch; or nothing, when there is no such commit, and then every stack runs, for the reason given.
 */
sealed interface DiffBase permits DiffBase.Commit, DiffBase.Everything {

    /** Diff the trees of {@code base} and the head. */
    record Commit(RevCommit base) implements DiffBase {
    }

    /** No base: every stack runs, for {@code reason}. */
    record Everything(String reason) implements DiffBase {
    }

    /**
     * @param before  the request's before commit, or null for a new branch
     * @param missing wanted commits the remote would not give
     */
    static DiffBase of(Repository repository, RevWalk walk, ChangeRequest request, RevCommit head, ObjectId before,
                       List<ObjectId> missing) throws IOException {
        if (request.pullRequest() || request.newBranch()) {
            ObjectId other = request.pullRequest() && before != null && !missing.contains(before) ? before
                    : resolve(repository, request.baseRef());
            RevCommit base = other == null ? null : mergeBase(walk, head, walk.parseCommit(other));
            if (base != null) {
                return new Commit(base);
            }
            return new Everything(request.pullRequest() ? "no common history with " + request.baseRef()
                    : "new branch" + (request.baseRef() == null ? "" : " with no common history with "
                    + request.baseRef().replaceFirst("^refs/heads/", "")));
        }
        if (missing.contains(before)) {
            return new Everything("before commit " + before.abbreviate(7).name() + " could not be fetched (rewritten"
                    + " history?): every stack is planned");
        }
        return new Commit(walk.parseCommit(before));
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
}
