package dev.gitops.runner;

import dev.gitops.routing.Environment;
import dev.gitops.routing.RunnerEnv;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Unix users local builds run terraform as (isolation {@code users}): each environment has a block of 100 user ids
 * from its {@code runner-uid}, the first 50 for plans and the next 50 for applies, and each running build holds one of
 * them alone, so that ending "every process of that user" after a command ends nothing of another build's, and no
 * build can read another's process environment. All of an environment's build users share one group (the block's
 * first id), so the files one build leaves behind (a local Terraform state) the environment's next build can change.
 */
final class BuildUsers {
    private static final int PER_ACTION = Environment.RUNNER_UIDS / 2;

    private final Set<Integer> taken = ConcurrentHashMap.newKeySet();

    /** A user id of the project's block that no running build holds. */
    int reserve(LocalProjects.Project project) {
        int first = project.firstUid() + (project.action() == RunnerEnv.Action.PLAN ? 0 : PER_ACTION);
        for (int uid = first; uid < first + PER_ACTION; uid++) {
            if (taken.add(uid)) {
                return uid;
            }
        }
        throw new IllegalStateException("all " + PER_ACTION + " users of " + project.name() + " are busy (user ids " + first
                + " to " + (first + PER_ACTION - 1) + "): lower gitops.runner.max-concurrent-builds");
    }

    void release(int uid) {
        taken.remove(uid);
    }
}
