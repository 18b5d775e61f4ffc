package dev.gitops.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The intrinsic functions of the Amazon States Language ({@code States.Format('{}', $.name)}, {@code States.ArrayGetItem},
 * ...), with the semantics of AWS Step Functions.
 *
 * <p>A call is {@code States.Name(arg, ...)}; an argument is a string literal in single quotes (where {@code \'},
 * {@code \{}, {@code \}} and {@code \\} are the only escapes), a number, {@code true}, {@code false}, {@code null}, a path
 * into the state's data ({@code $...}) or the context object ({@code $$...}), or a nested call. Expressions are parsed
 * once and cached. Evaluation fails with {@code States.ParameterPathFailure} when a path argument names nothing, and with
 * {@code States.IntrinsicFailure} for anything else.
 */
public final class Intrinsics {
    private static final String PREFIX = "States.";
    private static final int MAX_CACHED = 10_000;
    private static final int MAX_NESTING = 64;
    private static final int MAX_RANGE_ELEMENTS = 1000;
    private static final int MAX_TEXT_INPUT = 10_000;
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final List<String> HASH_ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");
    private static final String[] ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth"};
    private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

    private Intrinsics() {
    }

    public static boolean isIntrinsic(String expression) {
        return expression != null && expression.startsWith(PREFIX);
    }

    /**
     * Why a text is not a valid intrinsic function call (bad syntax, an unknown function, the wrong number of arguments),
     * or null when it is one.
     */
    public static String problem(String expression) {
        if (!isIntrinsic(expression)) {
            return "an intrinsic function call must start with 'States.'";
        }
        return parse(expression).problem();
    }

    /** Evaluates a call against the state's data and the context object; every failure is a {@link StatesException}. */
    public static JsonNode evaluate(String expression, JsonNode data, JsonNode context) {
        if (!isIntrinsic(expression)) {
            throw new StatesException(StatesErrors.INTRINSIC_FAILURE, "'" + abbreviate(String.valueOf(expression))
                    + "' is not an intrinsic function call: it must start with 'States.'");
        }
        Parsed parsed = parse(expression);
        if (parsed.problem() != null) {
            throw new StatesException(StatesErrors.INTRINSIC_FAILURE, "The intrinsic function call '"
                    + abbreviate(expression) + "' is not valid: " + parsed.problem());
        }
        try {
            return new Evaluation(expression, data, context).call(parsed.call());
        } catch (StatesException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new StatesException(StatesErrors.INTRINSIC_FAILURE, "The intrinsic function call '"
                    + abbreviate(expression) + "' failed: " + e, e);
        }
    }

    private static Parsed parse(String expression) {
        Parsed parsed = PARSED.get(expression);
        if (parsed == null) {
            try {
                parsed = new Parsed(new Parser(expression).expression(), null);
            } catch (SyntaxProblem e) {
                parsed = new Parsed(null, e.getMessage());
            }
            if (PARSED.size() < MAX_CACHED) {
                PARSED.put(expression, parsed);
            }
        }
        return parsed;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }

    private enum Function {
        FORMAT("Format", 1, Integer.MAX_VALUE),
        STRING_TO_JSON("StringToJson", 1, 1),
        JSON_TO_STRING("JsonToString", 1, 1),
        ARRAY("Array", 0, Integer.MAX_VALUE),
        ARRAY_PARTITION("ArrayPartition", 2, 2),
        ARRAY_CONTAINS("ArrayContains", 2, 2),
        ARRAY_RANGE("ArrayRange", 3, 3),
        ARRAY_GET_ITEM("ArrayGetItem", 2, 2),
        ARRAY_LENGTH("ArrayLength", 1, 1),
        ARRAY_UNIQUE("ArrayUnique", 1, 1),
        BASE64_ENCODE("Base64Encode", 1, 1),
        BASE64_DECODE("Base64Decode", 1, 1),
        HASH("Hash", 2, 2),
        JSON_MERGE("JsonMerge", 3, 3),
        MATH_RANDOM("MathRandom", 2, 3),
        MATH_ADD("MathAdd", 2, 2),
        STRING_SPLIT("StringSplit", 2, 2),
        UUID("UUID", 0, 0);

        private static final Map<String, Function> BY_NAME = new HashMap<>();

        static {
            for (Function function : values()) {
                BY_NAME.put(function.title, function);
            }
        }

        final String title;
        final int min;
        final int max;

        Function(String name, int min, int max) {
            this.title = PREFIX + name;
            this.min = min;
            this.max = max;
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

    private record Parsed(Call call, String problem) {
    }

    private interface Arg {
    }

    private record Literal(JsonNode value) implements Arg {
    }

    /** A quoted string; {@code pieces} is its text split at the unescaped {@code {}} placeholders States.Format fills. */
    private record Text(String value, List<String> pieces) implements Arg {
    }

    private record PathArg(String path) implements Arg {
    }

    private record Call(Function function, List<Arg> args) implements Arg {
    }

    private static final class SyntaxProblem extends RuntimeException {
        SyntaxProblem(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Call expression() {
            Call call = call(1);
            skipSpace();
            if (pos < text.length()) {
                throw problem("unexpected '" + text.charAt(pos) + "' at position " + pos + " after the end of the "
                        + call.function().title + " call");
            }
            return call;
        }

        private Call call(int depth) {
            if (depth > MAX_NESTING) {
                throw problem("intrinsic function calls are nested more than " + MAX_NESTING + " deep");
            }
            int start = pos;
            pos += PREFIX.length();
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
            String name = text.substring(start, pos);
            if (name.length() == PREFIX.length()) {
                throw problem("'States.' at position " + start + " must be followed by a function name");
            }
            Function function = Function.BY_NAME.get(name);
            if (function == null) {
                throw problem("'" + name + "' is not an intrinsic function of Step Functions");
            }
            if (pos >= text.length() || text.charAt(pos) != '(') {
                throw problem("'" + name + "' must be followed by '(' at position " + pos);
            }
            pos++;
            List<Arg> args = new ArrayList<>();
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ')') {
                pos++;
            } else {
                while (true) {
                    args.add(argument(depth));
                    skipSpace();
                    if (pos >= text.length()) {
                        throw problem("the arguments of " + name + " are not closed with ')'");
                    }
                    char c = text.charAt(pos++);
                    if (c == ')') {
                        break;
                    }
                    if (c != ',') {
                        throw problem("expected ',' or ')' at position " + (pos - 1) + " in the arguments of " + name
                                + ", but found '" + c + "'");
                    }
                }
            }
            if (args.size() < function.min || args.size() > function.max) {
                throw problem(name + " " + function.arity() + ", but " + args.size()
                        + (args.size() == 1 ? " was" : " were") + " given");
            }
            if (function == Function.FORMAT) {
                checkFormat(args);
            }
            return new Call(function, List.copyOf(args));
        }

        private void checkFormat(List<Arg> args) {
            Arg template = args.get(0);
            if (template instanceof Literal literal) {
                throw problem("the first argument of States.Format must be a string, but it is "
                        + Json.typeName(literal.value()));
            }
            if (template instanceof Text quoted) {
                int placeholders = quoted.pieces().size() - 1;
                if (placeholders != args.size() - 1) {
                    throw problem("the States.Format template has " + placeholders(placeholders) + " but "
                            + values(args.size() - 1) + " to fill them");
                }
            }
        }

        private Arg argument(int depth) {
            skipSpace();
            if (pos >= text.length()) {
                throw problem("an argument is missing at the end of the expression");
            }
            char c = text.charAt(pos);
            if (c == '\'') {
                return string();
            }
            if (c == '$') {
                return path();
            }
            if (text.startsWith(PREFIX, pos)) {
                return call(depth + 1);
            }
            if (c == '-' || isDigit(c)) {
                return number();
            }
            for (String keyword : List.of("true", "false", "null")) {
                int end = pos + keyword.length();
                if (text.startsWith(keyword, pos) && (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                    pos = end;
                    return new Literal(keyword.equals("null") ? Json.NODES.nullNode()
                            : Json.NODES.booleanNode(keyword.equals("true")));
                }
            }
            throw problem("unexpected '" + c + "' at position " + pos + ": an argument must be a string in single quotes,"
                    + " a number, true, false, null, a path or an intrinsic function call");
        }

        private Text string() {
            int start = pos++;
            StringBuilder value = new StringBuilder();
            StringBuilder piece = new StringBuilder();
            List<String> pieces = new ArrayList<>();
            while (true) {
                if (pos >= text.length()) {
                    throw problem("the string starting at position " + start + " is not closed with a single quote");
                }
                char c = text.charAt(pos);
                if (c == '\\') {
                    char escaped = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
                    if (escaped != '\'' && escaped != '{' && escaped != '}' && escaped != '\\') {
                        throw problem("the backslash at position " + pos + " does not escape anything: only \\', \\{,"
                                + " \\} and \\\\ are escapes, and a backslash itself is written \\\\");
                    }
                    value.append(escaped);
                    piece.append(escaped);
                    pos += 2;
                } else if (c == '\'') {
                    pos++;
                    pieces.add(piece.toString());
                    return new Text(value.toString(), List.copyOf(pieces));
                } else if (c == '{' && pos + 1 < text.length() && text.charAt(pos + 1) == '}') {
                    value.append("{}");
                    pieces.add(piece.toString());
                    piece.setLength(0);
                    pos += 2;
                } else {
                    value.append(c);
                    piece.append(c);
                    pos++;
                }
            }
        }

        private PathArg path() {
            int start = pos;
            int depth = 0;
            char quote = 0;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (quote != 0) {
                    if (c == '\\') {
                        pos++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '[' || c == '(') {
                    depth++;
                } else if (c == ']' || c == ')') {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                } else if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
                    break;
                }
                pos++;
            }
            if (quote != 0) {
                throw problem("a quote in the path starting at position " + start + " is not closed");
            }
            if (depth != 0) {
                throw problem("a bracket in the path starting at position " + start + " is not closed");
            }
            String path = text.substring(start, Math.min(pos, text.length()));
            String problem = Paths.problem(path);
            if (problem != null) {
                throw problem(problem);
            }
            return new PathArg(path);
        }

        private Literal number() {
            int start = pos;
            if (text.charAt(pos) == '-') {
                pos++;
            }
            int digits = skipDigits();
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                digits = Math.min(digits, skipDigits());
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                pos++;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                    pos++;
                }
                digits = Math.min(digits, skipDigits());
            }
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
                digits = 0;
            }
            String literal = text.substring(start, pos);
            if (digits == 0) {
                throw problem("'" + literal + "' at position " + start + " is not a number");
            }
            try {
                return new Literal(Json.parse(literal));
            } catch (JsonProcessingException e) {
                throw problem("'" + literal + "' at position " + start + " is not a valid JSON number");
            }
        }

        private int skipDigits() {
            int start = pos;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
            return pos - start;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private static SyntaxProblem problem(String message) {
            return new SyntaxProblem(message);
        }
    }

    private static String placeholders(int count) {
        return count + (count == 1 ? " '{}' placeholder" : " '{}' placeholders");
    }

    private static String values(int count) {
        return count + (count == 1 ? " value" : " values");
    }

    private record Evaluation(String expression, JsonNode data, JsonNode context) {
        JsonNode value(Arg arg) {
            if (arg instanceof Literal literal) {
                return literal.value();
            }
            if (arg instanceof Text quoted) {
                return Json.NODES.textNode(quoted.value());
            }
            if (arg instanceof PathArg path) {
                return read(path.path());
            }
            return call((Call) arg);
        }

        private JsonNode read(String path) {
            JsonNode value = Paths.read(path, data, context);
            if (value == null) {
                boolean contextPath = Paths.isContextPath(path);
                throw new StatesException(StatesErrors.PARAMETER_PATH_FAILURE, "The JSONPath '" + path
                        + "' in the intrinsic function call '" + abbreviate(expression) + "' could not be found in the "
                        + (contextPath ? "context object" : "input") + " '" + Json.abbreviate(contextPath ? context : data)
                        + "'");
            }
            return value;
        }

        JsonNode call(Call call) {
            List<JsonNode> values = new ArrayList<>(call.args().size());
            for (Arg arg : call.args()) {
                values.add(value(arg));
            }
            Args args = new Args(call.function(), values);
            return switch (call.function()) {
                case FORMAT -> format(call, args);
                case STRING_TO_JSON -> stringToJson(args);
                case JSON_TO_STRING -> Json.NODES.textNode(Json.write(args.get(0)));
                case ARRAY -> Json.NODES.arrayNode(values.size()).addAll(values);
                case ARRAY_PARTITION -> arrayPartition(args);
                case ARRAY_CONTAINS -> arrayContains(args);
                case ARRAY_RANGE -> arrayRange(args);
                case ARRAY_GET_ITEM -> arrayGetItem(args);
                case ARRAY_LENGTH -> Json.NODES.numberNode(args.array(0).size());
                case ARRAY_UNIQUE -> arrayUnique(args);
                case BASE64_ENCODE -> base64Encode(args);
                case BASE64_DECODE -> base64Decode(args);
                case HASH -> hash(args);
                case JSON_MERGE -> jsonMerge(args);
                case MATH_RANDOM -> mathRandom(args);
                case MATH_ADD -> mathAdd(args);
                case STRING_SPLIT -> stringSplit(args);
                case UUID -> Json.NODES.textNode(java.util.UUID.randomUUID().toString());
            };
        }
    }

    /** A call's evaluated arguments, with the type checks every function needs. */
    private record Args(Function function, List<JsonNode> values) {
        JsonNode get(int index) {
            return values.get(index);
        }

        int size() {
            return values.size();
        }

        StatesException failure(String problem) {
            return new StatesException(StatesErrors.INTRINSIC_FAILURE, function.title + ": " + problem);
        }

        private StatesException wrongType(int index, String expected) {
            return failure(function.argument(index) + " must be " + expected + ", but it is " + describe(get(index)));
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
                throw failure(function.argument(index) + " " + value.asText() + " is out of range");
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
                throw failure(function.argument(index) + " " + value.asText() + " is out of range");
            }
            return decimal.longValue();
        }

        int roundedInt(int index) {
            long value = rounded(index);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw failure(function.argument(index) + " " + get(index).asText()
                        + " is outside the range -2147483648 to 2147483647");
            }
            return (int) value;
        }

        String limitedText(int index) {
            String text = text(index);
            if (text.length() > MAX_TEXT_INPUT) {
                throw failure(function.argument(index) + " has " + text.length() + " characters, more than the "
                        + MAX_TEXT_INPUT + " allowed");
            }
            return text;
        }
    }

    private static String describe(JsonNode value) {
        String type = Json.typeName(value);
        return (type.equals("array") || type.equals("object") ? "an " : "a ") + type;
    }

    private static JsonNode format(Call call, Args args) {
        String template = args.text(0);
        List<String> pieces = call.args().get(0) instanceof Text quoted ? quoted.pieces() : split(template);
        int placeholders = pieces.size() - 1;
        if (placeholders != args.size() - 1) {
            throw args.failure("the template has " + placeholders(placeholders) + " but " + values(args.size() - 1)
                    + " to fill them");
        }
        StringBuilder out = new StringBuilder(pieces.get(0));
        for (int i = 1; i < pieces.size(); i++) {
            render(args.get(i), out);
            out.append(pieces.get(i));
        }
        return Json.NODES.textNode(out.toString());
    }

    private static List<String> split(String template) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = template.indexOf("{}", from)) >= 0) {
            pieces.add(template.substring(from, at));
            from = at + 2;
        }
        pieces.add(template.substring(from));
        return pieces;
    }

    /** Strings as they are; objects and arrays as Step Functions renders them ({@code {a=1, b=[x, y]}}); the rest as JSON. */
    private static void render(JsonNode value, StringBuilder out) {
        if (value.isTextual()) {
            out.append(value.textValue());
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                render(value.get(i), out);
            }
            out.append(']');
        } else if (value.isObject()) {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = value.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(field.getKey()).append('=');
                render(field.getValue(), out);
                if (fields.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else {
            out.append(Json.write(value));
        }
    }

    private static JsonNode stringToJson(Args args) {
        String text = args.text(0);
        if (text.isBlank()) {
            return Json.NODES.nullNode();
        }
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw args.failure("the argument is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode arrayPartition(Args args) {
        ArrayNode array = args.array(0);
        long size = args.rounded(1);
        if (size <= 0) {
            throw args.failure("the chunk size must be a positive integer, but it is " + args.get(1).asText());
        }
        ArrayNode chunks = Json.NODES.arrayNode();
        for (int start = 0; start < array.size(); start += (int) Math.min(size, array.size())) {
            int end = (int) Math.min(array.size(), start + size);
            ArrayNode chunk = Json.NODES.arrayNode(end - start);
            for (int i = start; i < end; i++) {
                chunk.add(array.get(i));
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    private static JsonNode arrayContains(Args args) {
        ArrayNode array = args.array(0);
        String wanted = canonical(args.get(1));
        for (JsonNode element : array) {
            if (canonical(element).equals(wanted)) {
                return Json.NODES.booleanNode(true);
            }
        }
        return Json.NODES.booleanNode(false);
    }

    private static JsonNode arrayRange(Args args) {
        long start = args.roundedInt(0);
        long end = args.roundedInt(1);
        long step = args.roundedInt(2);
        if (step == 0) {
            throw args.failure("the step (the third argument) must not be 0");
        }
        long count = (step > 0 ? start > end : start < end) ? 0 : (end - start) / step + 1;
        if (count > MAX_RANGE_ELEMENTS) {
            throw args.failure("the range from " + start + " to " + end + " in steps of " + step + " has " + count
                    + " elements, more than the " + MAX_RANGE_ELEMENTS + " allowed");
        }
        ArrayNode range = Json.NODES.arrayNode((int) count);
        for (long i = 0; i < count; i++) {
            range.add((int) (start + i * step));
        }
        return range;
    }

    private static JsonNode arrayGetItem(Args args) {
        ArrayNode array = args.array(0);
        long index = args.integer(1);
        if (index < 0 || index >= array.size()) {
            throw args.failure("index " + index + " is out of range for an array of " + array.size()
                    + (array.size() == 1 ? " element" : " elements"));
        }
        return array.get((int) index);
    }

    private static JsonNode arrayUnique(Args args) {
        ArrayNode array = args.array(0);
        Set<String> seen = new HashSet<>();
        ArrayNode unique = Json.NODES.arrayNode();
        for (JsonNode element : array) {
            if (seen.add(canonical(element))) {
                unique.add(element);
            }
        }
        return unique;
    }

    /** A text equal for equal JSON values: numbers compare by value, objects regardless of field order. */
    private static String canonical(JsonNode value) {
        StringBuilder out = new StringBuilder();
        canonical(value, out);
        return out.toString();
    }

    private static void canonical(JsonNode value, StringBuilder out) {
        switch (value.getNodeType()) {
            case NUMBER -> out.append('n').append(value.decimalValue().stripTrailingZeros()).append(';');
            case STRING -> out.append('s').append(value.textValue().length()).append(':').append(value.textValue());
            case BOOLEAN -> out.append(value.booleanValue() ? 't' : 'f');
            case ARRAY -> {
                out.append('[');
                for (JsonNode element : value) {
                    canonical(element, out);
                }
                out.append(']');
            }
            case OBJECT -> {
                Map<String, JsonNode> sorted = new TreeMap<>();
                value.properties().forEach(field -> sorted.put(field.getKey(), field.getValue()));
                out.append('{');
                for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
                    out.append(field.getKey().length()).append(':').append(field.getKey());
                    canonical(field.getValue(), out);
                }
                out.append('}');
            }
            default -> out.append('z');
        }
    }

    private static JsonNode base64Encode(Args args) {
        String text = args.limitedText(0);
        return Json.NODES.textNode(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode base64Decode(Args args) {
        String text = args.limitedText(0);
        try {
            byte[] bytes = Base64.getDecoder().decode(text.replace("\r", "").replace("\n", ""));
            return Json.NODES.textNode(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw args.failure("the argument is not valid Base64: " + e.getMessage());
        }
    }

    private static JsonNode hash(Args args) {
        String text = args.limitedText(0);
        String algorithm = args.text(1);
        if (!HASH_ALGORITHMS.contains(algorithm)) {
            throw args.failure("'" + algorithm + "' is not a supported algorithm; use one of "
                    + String.join(", ", HASH_ALGORITHMS));
        }
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(digest.length * 2);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return Json.NODES.textNode(hex.toString());
        } catch (NoSuchAlgorithmException e) {
            throw args.failure("the algorithm " + algorithm + " is not available in this Java runtime");
        }
    }

    private static JsonNode jsonMerge(Args args) {
        ObjectNode left = args.object(0);
        ObjectNode right = args.object(1);
        JsonNode deep = args.get(2);
        if (!deep.isBoolean()) {
            throw args.failure("the third argument must be the boolean false, but it is " + describe(deep));
        }
        if (deep.booleanValue()) {
            throw args.failure("Step Functions supports only shallow merging, so the third argument must be false");
        }
        ObjectNode merged = Json.object();
        merged.setAll(left);
        merged.setAll(right);
        return merged;
    }

    private static JsonNode mathRandom(Args args) {
        int start = args.roundedInt(0);
        int end = args.roundedInt(1);
        if (start >= end) {
            throw args.failure("the start " + start + " must be less than the end " + end
                    + " (the start is inclusive, the end exclusive)");
        }
        Random random = args.size() == 3 ? new Random(args.rounded(2)) : ThreadLocalRandom.current();
        return Json.NODES.numberNode(random.nextInt(start, end));
    }

    private static JsonNode mathAdd(Args args) {
        long sum = (long) args.roundedInt(0) + args.roundedInt(1);
        return sum == (int) sum ? Json.NODES.numberNode((int) sum) : Json.NODES.numberNode(sum);
    }

    private static JsonNode stringSplit(Args args) {
        String text = args.text(0);
        String delimiters = args.text(1);
        Set<Integer> separators = new LinkedHashSet<>();
        delimiters.codePoints().forEach(separators::add);
        ArrayNode parts = Json.NODES.arrayNode();
        StringBuilder part = new StringBuilder();
        text.codePoints().forEach(codePoint -> {
            if (separators.contains(codePoint)) {
                if (part.length() > 0) {
                    parts.add(part.toString());
                    part.setLength(0);
                }
            } else {
                part.appendCodePoint(codePoint);
            }
        });
        if (part.length() > 0) {
            parts.add(part.toString());
        }
        return parts;
    }
}
