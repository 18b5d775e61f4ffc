package dev.gitops.webhook;

/** A delivery whose payload lacks something it must have: answered 400 with this sentence. */
public class BadPayload extends Exception {
    public BadPayload(String message) {
        super(message);
    }
}
