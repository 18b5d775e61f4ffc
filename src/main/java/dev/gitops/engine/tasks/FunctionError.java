package dev.gitops.engine.tasks;

/** A function failure with the error type Step Functions' Retry and Catch will match ({@code errorType} in Lambda). */
public class FunctionError extends RuntimeException {
    private final String errorType;

    public FunctionError(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    public String errorType() {
        return errorType;
    }
}
