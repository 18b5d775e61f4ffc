package dev.gitops.approval;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** An approval's status: {@code pending}, then once and for all one of the others. */
public enum ApprovalStatus {
    PENDING, APPROVED, REJECTED, SUPERSEDED, EXPIRED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status an item names; null for none. */
    static ApprovalStatus named(String text) {
        for (ApprovalStatus status : values()) {
            if (status.wire().equals(text)) {
                return status;
            }
        }
        return null;
    }
}
