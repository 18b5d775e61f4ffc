package dev.gitops.routing;

import dev.gitops.runtime.WireNames;

/** An environment's approval policy ({@code gitops.environments.<env>.approval}): server configuration only. */
public enum ApprovalPolicy {
    /** A person approves every plan before it is applied. */
    REQUIRED,
    /** A plan with changes is applied without waiting for anyone. */
    AUTO;

    /** The policy a setting names ({@code required}, {@code auto}; any case), or null when it names none. */
    static ApprovalPolicy named(String text) {
        return WireNames.namedIgnoringCase(ApprovalPolicy.class, text);
    }
}
