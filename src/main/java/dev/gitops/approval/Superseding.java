package dev.gitops.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.changes.GitMirror;
import dev.gitops.execution.ExecutionInput;
import dev.gitops.lock.Lock;
import dev.gitops.lock.LockStore;
import software.amazon.awssdk.services.sfn.SfnClient;
import jakarta.inject.Singleton;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * DESIGN.md's superseding rule, applied by the front door after it started a new execution for a push: an execution
 * waiting for approval on the same lock (stack and environment) is retired ({@code Superseded}) only when its commit
 * is an ancestor of the new one, or on a force push to the same branch. Never for a redelivery (nothing new was
 * started) or a pull request's plan-only run. A newer push that arrives while the older execution still plans waits
 * for the lock; the older one is retired when it comes to wait for approval ({@link #whenWaiting}).
 */
@Singleton
public class Superseding {
    private static final Logger LOG = LoggerFactory.getLogger(Superseding.class);

    private final Approvals approvals;
    private final GitMirror mirror;
    private final LockStore locks;
    private final SfnClient sfn;
    private final ObjectMapper mapper;

    public Superseding(Approvals approvals, GitMirror mirror, LockStore locks, SfnClient sfn, ObjectMapper mapper) {
        this.approvals = approvals;
        this.mirror = mirror;
        this.locks = locks;
        this.sfn = sfn;
        this.mapper = mapper;
    }

    /**
     * The other half of the rule, for a newer push that arrived while this execution was still planning: it queued for
     * the lock (first in line) instead of finding an approval to retire. When this execution's approval is stored, a
     * newer push first in line retires it the same way.
     *
     * @return whether {@code approval} was superseded
     */
    public boolean whenWaiting(Approval approval) {
        try {
            Lock lock = locks.get(approval.lockId());
            String next = lock == null ? null : lock.nextInLine();
            if (next == null || next.equals(approval.execution())) {
                return false;
            }
            ExecutionInput newer = mapper.readValue(sfn.describeExecution(b -> b.executionArn(next)).input(),
                    ExecutionInput.class);
            if (newer.trigger() == null || !"push".equals(newer.trigger().event()) || newer.mode() != ExecutionInput.Mode.APPLY) {
                return false;
            }
            String newSha = newer.sha();
            mirror.fetch(approval.repository(), newer.cloneUrl(), List.of(),
                    List.of(ObjectId.fromString(approval.sha()), ObjectId.fromString(newSha)));
            return supersedes(approval.repository(), approval, newSha, newer.branch(), newer.trigger().forced())
                    && approvals.supersede(approval, newSha, next);
        } catch (IOException | GitMirror.FetchFailed | RuntimeException e) {
            LOG.warn("could not check whether a newer push waits behind approval \"{}\": {}", approval.id(), e.toString());
            return false;
        }
    }

    /** @return how many waiting executions were retired */
    public int afterStart(String repository, String lockId, String newSha, String newExecution, String branch, boolean forced) {
        int retired = 0;
        try {
            for (Approval old : approvals.store().pendingOn(lockId)) {
                if (old.execution().equals(newExecution) || old.sha().equals(newSha)) {
                    continue;
                }
                if (supersedes(repository, old, newSha, branch, forced) && approvals.supersede(old, newSha, newExecution)) {
                    retired++;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("superseding on lock \"{}\" failed (the older execution keeps waiting): {}", lockId, e.toString());
        }
        return retired;
    }

    /** DESIGN.md's rule: the waiting commit is an ancestor of the new one, or the new push was forced on its branch. */
    private boolean supersedes(String repository, Approval old, String newSha, String newBranch, boolean forced) {
        return isAncestor(repository, old.sha(), newSha) || forced && newBranch != null && newBranch.equals(old.branch());
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
