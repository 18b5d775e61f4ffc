package dev.gitops.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON kept as text (execution input and output, a failure's cause, an item's attribute), read with the one mapper. */
public final class Json {
    private Json() {
    }

    /** {@code text} as {@code type}; null when there is none, or it is not JSON of that shape. */
    public static <T> T readOrNull(ObjectMapper mapper, String text, Class<T> type) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
