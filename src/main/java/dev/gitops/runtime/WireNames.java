package dev.gitops.runtime;

import java.util.Locale;

/**
 * How the controller's enums read in JSON, items and settings: the constant's name in lower case ({@code approval},
 * {@code superseded}), read back exactly, or in any case where a person types it ({@link #namedIgnoringCase}).
 */
public final class WireNames {
    private WireNames() {
    }

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant {@code text} names exactly; null for none. */
    public static <E extends Enum<E>> E named(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(text)) {
                return constant;
            }
        }
        return null;
    }

    /** The constant {@code text} names in any case (a setting); null for none. */
    public static <E extends Enum<E>> E namedIgnoringCase(Class<E> type, String text) {
        return text == null ? null : named(type, text.toLowerCase(Locale.ROOT));
    }
}
