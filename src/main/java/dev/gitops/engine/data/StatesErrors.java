package dev.gitops.engine.data;

import java.util.List;

/** The predefined error names of the Amazon States Language and AWS's rules for matching them in Retry and Catch. */
public final class StatesErrors {
    public static final String ALL = "States.ALL";
    public static final String RUNTIME = "States.Runtime";
    public static final String TIMEOUT = "States.Timeout";
    public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String PERMISSIONS = "States.Permissions";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
    public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
    public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String BRANCH_FAILED = "States.BranchFailed";
    public static final String EXCEEDED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";
    public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";
    public static final String RESULT_WRITER_FAILED = "States.ResultWriterFailed";

    /** Every name starting with {@code States.} that a definition may use in ErrorEquals. */
    public static final List<String> PREDEFINED = List.of(ALL, RUNTIME, TIMEOUT, HEARTBEAT_TIMEOUT, TASK_FAILED, PERMISSIONS,
            DATA_LIMIT_EXCEEDED, NO_CHOICE_MATCHED, PARAMETER_PATH_FAILURE, RESULT_PATH_MATCH_FAILURE, INTRINSIC_FAILURE,
            BRANCH_FAILED, EXCEEDED_TOLERATED_FAILURE_THRESHOLD, ITEM_READER_FAILED, RESULT_WRITER_FAILED);

    private StatesErrors() {
    }

    /**
     * Whether a Retrier's or Catcher's {@code ErrorEquals} matches an error, as AWS matches it: a name matches itself;
     * {@code States.ALL} matches everything but {@code States.Runtime} and {@code States.DataLimitExceeded};
     * {@code States.TaskFailed} matches everything but those two and timeouts; {@code States.Timeout} also matches
     * {@code States.HeartbeatTimeout}, which AWS added later as the narrower name for a missed heartbeat.
     */
    public static boolean matches(List<String> errorEquals, String error) {
        for (String candidate : errorEquals) {
            if (candidate.equals(error)) {
                return true;
            }
            boolean terminal = RUNTIME.equals(error) || DATA_LIMIT_EXCEEDED.equals(error);
            if (ALL.equals(candidate) && !terminal) {
                return true;
            }
            boolean timeout = TIMEOUT.equals(error) || HEARTBEAT_TIMEOUT.equals(error);
            if (TASK_FAILED.equals(candidate) && !terminal && !timeout) {
                return true;
            }
            if (TIMEOUT.equals(candidate) && HEARTBEAT_TIMEOUT.equals(error)) {
                return true;
            }
        }
        return false;
    }

    /** States.Runtime is never retried, whatever the Retrier says. */
    public static boolean retriable(String error) {
        return !RUNTIME.equals(error);
    }
}
