package dev.gitops.routing;

import java.util.Locale;

/** An environment's approval policy ({@code gitops.environments.<env>.approval}): server configuration only. */
public enum ApprovalPolicy {
    /** A person approves every plan before it is applied. */
    REQUIRED,
    /** A plan with changes is applied without waiting for anyone. */
    AUTO;

    /** The policy a setting names ({@code required}, {@code auto}; any case), or null when it names none. */
    static ApprovalPolicy named(String text) {
        for (ApprovalPolicy policy : values()) {
            if (policy.name().equals(text == null ? null : text.toUpperCase(Locale.ROOT))) {
                return policy;
            }
        }
        return null;
    }
}
