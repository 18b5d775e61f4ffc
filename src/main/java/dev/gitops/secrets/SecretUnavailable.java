package dev.gitops.secrets;

/** A secret given by ARN could not be read: whatever needed it is answered 503, and the next try reads it again. */
public class SecretUnavailable extends RuntimeException {
    public SecretUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
