package dev.gitops.function;

/**
 * A function's failure with the error name Step Functions' Retry and Catch match ({@code LockLost},
 * {@code InvalidPayload}, ...): in AWS it leads Lambda's error message ({@code FunctionHandler}), locally it is the
 * task's error.
 */
public class FunctionError extends RuntimeException {
    private final String errorType;

    public FunctionError(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    public String errorType() {
        return errorType;
    }

    /** {@code value}, or an {@code InvalidPayload} failure naming the field when it is missing or blank. */
    public static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new FunctionError("InvalidPayload", "'" + field + "' is required");
        }
        return value;
    }
}
