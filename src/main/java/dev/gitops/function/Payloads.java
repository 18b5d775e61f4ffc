package dev.gitops.function;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import jakarta.inject.Singleton;

import java.util.Arrays;

/**
 * The functions' payloads read as the records each function declares, and their results written: a payload that
 * does not fit fails with {@code InvalidPayload} (or {@code InvalidAction}), naming what is wrong.
 */
@Singleton
public class Payloads {
    private final ObjectMapper mapper;

    public Payloads(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A payload as the record {@code type}. */
    public <T> T read(JsonNode payload, Class<T> type) {
        try {
            return mapper.treeToValue(payload, type);
        } catch (InvalidTypeIdException e) {
            JsonSubTypes known = e.getBaseType().getRawClass().getAnnotation(JsonSubTypes.class);
            String names = known == null ? "" : " (" + String.join(", ", Arrays.stream(known.value())
                    .map(JsonSubTypes.Type::name).toList()) + ")";
            throw new FunctionError("InvalidAction", "unknown action '" + (e.getTypeId() == null ? "" : e.getTypeId())
                    + "'" + names);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new FunctionError("InvalidPayload", "the payload does not fit " + type.getSimpleName() + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    /** A result as JSON. */
    public JsonNode write(Object result) {
        return mapper.valueToTree(result);
    }
}
