package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.IntrinsicArg.Call;
import dev.gitops.engine.data.IntrinsicArg.Literal;
import dev.gitops.engine.data.IntrinsicArg.PathArg;
import dev.gitops.engine.data.IntrinsicArg.Text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private static final int MAX_CACHED = 10_000;
    private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

    private Intrinsics() {
    }

    public static boolean isIntrinsic(String expression) {
        return expression != null && expression.startsWith(IntrinsicFunction.PREFIX);
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
                parsed = new Parsed(IntrinsicParser.parse(expression), null);
            } catch (IntrinsicParser.SyntaxProblem e) {
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

    private record Parsed(Call call, String problem) {
    }

    /** One evaluation of a parsed call: arguments first, left to right, then the function. */
    private record Evaluation(String expression, JsonNode data, JsonNode context) {
        JsonNode value(IntrinsicArg arg) {
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
            for (IntrinsicArg arg : call.args()) {
                values.add(value(arg));
            }
            return call.function().apply(new IntrinsicArgs(call, values));
        }
    }
}
