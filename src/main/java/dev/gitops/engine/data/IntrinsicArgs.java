package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * A call's evaluated arguments, with the type checks every function needs; a failed check is a
 * {@code States.IntrinsicFailure} naming the function and the argument.
 */
record IntrinsicArgs(IntrinsicArg.Call call, List<JsonNode> values) {
    private static final int MAX_TEXT_INPUT = 10_000;
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    IntrinsicFunction function() {
        return call.function();
    }

    JsonNode get(int index) {
        return values.get(index);
    }

    int size() {
        return values.size();
    }

    StatesException failure(String problem) {
        return new StatesException(StatesErrors.INTRINSIC_FAILURE, function().title + ": " + problem);
    }

    private StatesException wrongType(int index, String expected) {
        return failure(function().argument(index) + " must be " + expected + ", but it is " + describe(get(index)));
    }

    ArrayNode array(int index) {
        if (!get(index).isArray()) {
            throw wrongType(index, "an array");
        }
        return (ArrayNode) get(index);
    }

    ObjectNode object(int index) {
        if (!get(index).isObject()) {
            throw wrongType(index, "an object");
        }
        return (ObjectNode) get(index);
    }

    String text(int index) {
        if (!get(index).isTextual()) {
            throw wrongType(index, "a string");
        }
        return get(index).textValue();
    }

    /** A whole number, as ArrayGetItem's index must be. */
    long integer(int index) {
        JsonNode value = get(index);
        if (!value.isNumber()) {
            throw wrongType(index, "an integer");
        }
        BigDecimal decimal = value.decimalValue();
        if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
            throw wrongType(index, "an integer");
        }
        if (decimal.compareTo(LONG_MIN) < 0 || decimal.compareTo(LONG_MAX) > 0) {
            throw failure(function().argument(index) + " " + value.asText() + " is out of range");
        }
        return decimal.longValue();
    }

    /** A number rounded to the nearest integer (halves toward positive infinity), as Step Functions rounds. */
    long rounded(int index) {
        JsonNode value = get(index);
        if (!value.isNumber()) {
            throw wrongType(index, "a number");
        }
        BigDecimal decimal = value.decimalValue().add(HALF).setScale(0, RoundingMode.FLOOR);
        if (decimal.compareTo(LONG_MIN) < 0 || decimal.compareTo(LONG_MAX) > 0) {
            throw failure(function().argument(index) + " " + value.asText() + " is out of range");
        }
        return decimal.longValue();
    }

    int roundedInt(int index) {
        long value = rounded(index);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw failure(function().argument(index) + " " + get(index).asText()
                    + " is outside the range -2147483648 to 2147483647");
        }
        return (int) value;
    }

    /** A string of at most 10,000 characters, as the encoding and hashing functions take. */
    String limitedText(int index) {
        String text = text(index);
        if (text.length() > MAX_TEXT_INPUT) {
            throw failure(function().argument(index) + " has " + text.length() + " characters, more than the "
                    + MAX_TEXT_INPUT + " allowed");
        }
        return text;
    }

    /** "a string", "an array": a value's JSON type with its article, as messages name it. */
    static String describe(JsonNode value) {
        String type = Json.typeName(value);
        return (type.equals("array") || type.equals("object") ? "an " : "a ") + type;
    }
}
