package dev.gitops.engine;

/**
 * A refused API call, with the error code AWS Step Functions answers with ({@code StateMachineDoesNotExist},
 * {@code InvalidDefinition}, {@code ValidationException}, ...) and a message naming the problem.
 */
public class EngineException extends RuntimeException {
    private final String code;

    public EngineException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
