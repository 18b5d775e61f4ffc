package dev.gitops.drift;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a drift check found: {@code in-sync}, {@code drifted}, {@code error} or {@code skipped}. */
public enum DriftStatus {
    IN_SYNC, DRIFTED, ERROR, SKIPPED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The status {@code text} names; null for none. */
    @JsonCreator
    public static DriftStatus named(String text) {
        for (DriftStatus status : values()) {
            if (status.wire().equals(text)) {
                return status;
            }
        }
        return null;
    }
}
