package dev.gitops.approval;

import dev.gitops.changes.GitMirror;
import jakarta.inject.Singleton;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * DESIGN.md's superseding rule, applied by the front door after it started a new execution for a push: an execution
 * waiting for approval on the same lock (stack and environment) is retired ({@code Superseded}) only when its commit
 * is an ancestor of the new one, or on a force push to the same branch. Never for a redelivery (nothing new was
 * started) or a pull request's plan-only run.
 */
@Singleton
public class Superseding {
    private static final Logger LOG = LoggerFactory.getLogger(Superseding.class);

    private final Approvals approvals;
    private final GitMirror mirror;

    public Superseding(Approvals approvals, GitMirror mirror) {
        this.approvals = approvals;
        this.mirror = mirror;
    }

    /** @return how many waiting executions were retired */
    public int afterStart(String repository, String lockId, String newSha, String newExecution, String branch, boolean forced) {
        int retired = 0;
        try {
            for (Approval old : approvals.store().pendingOn(lockId)) {
                if (old.execution().equals(newExecution) || old.sha().equals(newSha)) {
                    continue;
                }
                boolean ancestor = isAncestor(repository, old.sha(), newSha);
                boolean forcedSameBranch = forced && branch != null && branch.equals(old.branch());
                if ((ancestor || forcedSameBranch) && approvals.supersede(old, newSha, newExecution)) {
                    retired++;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("superseding on lock \"{}\" failed (the older execution keeps waiting): {}", lockId, e.toString());
        }
        return retired;
    }

    private boolean isAncestor(String repository, String older, String newer) {
        try {
            Repository repo = mirror.repository(repository);
            try (RevWalk walk = new RevWalk(repo)) {
                return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(older)), walk.parseCommit(ObjectId.fromString(newer)));
            }
        } catch (IOException | IllegalArgumentException e) {
            return false; // not in the mirror: not known to be an ancestor
        }
    }
}
