package dev.gitops.engine.data;

/**
 * A failure with an Amazon States Language error name ({@code States.Timeout}, {@code DynamoDB.ConditionalCheckFailedException},
 * a function's own error type, ...) and a cause that reads as a sentence. This is what Retry and Catch match on.
 */
public class StatesException extends RuntimeException {
    private final String error;
    private final String cause;

    public StatesException(String error, String cause) {
        super(error + ": " + cause);
        this.error = error;
        this.cause = cause;
    }

    public StatesException(String error, String cause, Throwable reason) {
        super(error + ": " + cause, reason);
        this.error = error;
        this.cause = cause;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }
}
