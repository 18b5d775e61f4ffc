package dev.gitops.approval;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.gitops.runtime.WireNames;


/** An approval's status: {@code pending}, then once and for all one of the others. */
public enum ApprovalStatus {
    PENDING, APPROVED, REJECTED, SUPERSEDED, EXPIRED;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    /** The status an item names; null for none. */
    static ApprovalStatus named(String text) {
        return WireNames.named(ApprovalStatus.class, text);
    }
}
