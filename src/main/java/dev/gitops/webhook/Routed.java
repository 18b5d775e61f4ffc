package dev.gitops.webhook;

/** A delivery after routing: ignored, with the answer that says why, or work for change detection. */
public sealed interface Routed permits Answer.Ignored, Work {
}
