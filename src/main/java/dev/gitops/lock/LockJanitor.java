package dev.gitops.lock;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Releases the locks of executions that ended without releasing them: StopExecution, execution timeouts and
 * {@code States.Runtime} failures skip the state machine's Catch. It hears status changes (the engine's listener
 * locally; EventBridge's "Step Functions Execution Status Change" in AWS, same method) and sweeps at startup, since a
 * crash loses what it would have heard.
 */
@Singleton
public class LockJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(LockJanitor.class);

    private final LockStore locks;
    private final SfnClient sfn;

    public LockJanitor(LockStore locks, SfnClient sfn) {
        this.locks = locks;
        this.sfn = sfn;
    }

    /**
     * An execution ended (any status but RUNNING): its lock, if it still holds it, is released; its place in line, if it
     * had one, is given up.
     *
     * @param lockId the lock its input names, or null when it names none (nothing to do)
     * @param verify whether to ask Step Functions first: EventBridge's events can be late or repeated; the engine's
     *               own listener is not, and needs no check
     */
    public void executionEnded(String executionArn, ExecutionStatus status, String lockId, boolean verify) {
        if (lockId == null) {
            return;
        }
        // events arrive late and twice: a redriven execution (same ARN) may hold its lock again by now
        if (verify && stillRunning(executionArn)) {
            return;
        }
        // one read first: most executions released their lock themselves and wait in no line
        Lock lock = locks.get(lockId);
        if (lock == null) {
            return;
        }
        if (executionArn.equals(lock.holder()) && locks.release(lockId, executionArn)) {
            LOG.info("janitor: released lock \"{}\" left by execution \"{}\" ({})", lockId, executionArn, status);
        }
        if (executionArn.equals(lock.nextInLine())) {
            locks.leaveLine(lockId, executionArn);
        }
    }

    /** Whether an execution with this status may still release its lock itself (or be redriven to). */
    public static boolean running(ExecutionStatus status) {
        return status == ExecutionStatus.RUNNING || status == ExecutionStatus.PENDING_REDRIVE;
    }

    private boolean stillRunning(String executionArn) {
        try {
            return ExecutionStatus.RUNNING == sfn.describeExecution(b -> b.executionArn(executionArn)).status();
        } catch (ExecutionDoesNotExistException gone) {
            return false;
        }
    }

    /** Releases every lock whose holder is no longer running. @return how many */
    public int sweep() {
        int released = 0;
        for (Lock lock : locks.withHolder()) {
            String status;
            try {
                ExecutionStatus now = sfn.describeExecution(b -> b.executionArn(lock.holder())).status();
                status = running(now) ? null : now.toString();
            } catch (ExecutionDoesNotExistException gone) {
                status = "it does not exist";
            }
            if (status != null && locks.release(lock.lockId(), lock.holder())) {
                LOG.info("janitor sweep: released lock \"{}\" of execution \"{}\" ({})", lock.lockId(), lock.holder(), status);
                released++;
            }
        }
        return released;
    }
}
