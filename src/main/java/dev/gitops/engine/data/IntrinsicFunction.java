package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

/**
 * The intrinsic functions Step Functions knows: each one's name, how many arguments it takes, and the code that
 * computes it from its evaluated arguments.
 */
enum IntrinsicFunction {
    FORMAT("Format", 1, Integer.MAX_VALUE, IntrinsicStrings::format),
    STRING_TO_JSON("StringToJson", 1, 1, IntrinsicStrings::stringToJson),
    JSON_TO_STRING("JsonToString", 1, 1, IntrinsicStrings::jsonToString),
    ARRAY("Array", 0, Integer.MAX_VALUE, IntrinsicArrays::array),
    ARRAY_PARTITION("ArrayPartition", 2, 2, IntrinsicArrays::partition),
    ARRAY_CONTAINS("ArrayContains", 2, 2, IntrinsicArrays::contains),
    ARRAY_RANGE("ArrayRange", 3, 3, IntrinsicArrays::range),
    ARRAY_GET_ITEM("ArrayGetItem", 2, 2, IntrinsicArrays::getItem),
    ARRAY_LENGTH("ArrayLength", 1, 1, IntrinsicArrays::length),
    ARRAY_UNIQUE("ArrayUnique", 1, 1, IntrinsicArrays::unique),
    BASE64_ENCODE("Base64Encode", 1, 1, IntrinsicEncodings::base64Encode),
    BASE64_DECODE("Base64Decode", 1, 1, IntrinsicEncodings::base64Decode),
    HASH("Hash", 2, 2, IntrinsicEncodings::hash),
    JSON_MERGE("JsonMerge", 3, 3, IntrinsicStrings::jsonMerge),
    MATH_RANDOM("MathRandom", 2, 3, IntrinsicMath::random),
    MATH_ADD("MathAdd", 2, 2, IntrinsicMath::add),
    STRING_SPLIT("StringSplit", 2, 2, IntrinsicStrings::split),
    UUID("UUID", 0, 0, IntrinsicMath::uuid);

    /** What every intrinsic function's name starts with. */
    static final String PREFIX = "States.";

    private static final String[] ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth"};
    private static final Map<String, IntrinsicFunction> BY_NAME = new HashMap<>();

    static {
        for (IntrinsicFunction function : values()) {
            BY_NAME.put(function.title, function);
        }
    }

    /** The computation of one function from its evaluated, not yet type-checked, arguments. */
    private interface Implementation {
        JsonNode apply(IntrinsicArgs args);
    }

    /** The full name, {@code States.Format}. */
    final String title;
    final int min;
    final int max;
    private final Implementation implementation;

    IntrinsicFunction(String name, int min, int max, Implementation implementation) {
        this.title = PREFIX + name;
        this.min = min;
        this.max = max;
        this.implementation = implementation;
    }

    /** The function of this full name ({@code States.Format}), or null. */
    static IntrinsicFunction named(String title) {
        return BY_NAME.get(title);
    }

    JsonNode apply(IntrinsicArgs args) {
        return implementation.apply(args);
    }

    String arity() {
        if (max == 0) {
            return "takes no arguments";
        }
        if (max == Integer.MAX_VALUE) {
            return "takes at least " + arguments(min);
        }
        return min == max ? "takes " + arguments(min) : "takes " + min + " to " + arguments(max);
    }

    /** How messages name the argument at this index: "the argument" of a one-argument function, else "the second argument". */
    String argument(int index) {
        if (max == 1) {
            return "the argument";
        }
        return "the " + (index < ORDINALS.length ? ORDINALS[index] : (index + 1) + "th") + " argument";
    }

    private static String arguments(int count) {
        return count + (count == 1 ? " argument" : " arguments");
    }
}
