package dev.gitops.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gitops.engine.data.IntrinsicArg.Call;
import dev.gitops.engine.data.IntrinsicArg.Literal;
import dev.gitops.engine.data.IntrinsicArg.PathArg;
import dev.gitops.engine.data.IntrinsicArg.Text;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the text of an intrinsic function call into an {@link IntrinsicArg.Call}, checking the syntax, the function
 * names, the number of arguments of each call and, where it is a literal, the States.Format template; each problem is a
 * {@link SyntaxProblem} whose message says what is wrong and where.
 */
final class IntrinsicParser {
    private static final int MAX_NESTING = 64;

    private final String text;
    private int pos;

    private IntrinsicParser(String text) {
        this.text = text;
    }

    /** The call a whole text makes; anything after its closing parenthesis but blanks is a problem. */
    static Call parse(String text) {
        return new IntrinsicParser(text).expression();
    }

    private Call expression() {
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
        pos += IntrinsicFunction.PREFIX.length();
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
            pos++;
        }
        String name = text.substring(start, pos);
        if (name.length() == IntrinsicFunction.PREFIX.length()) {
            throw problem("'States.' at position " + start + " must be followed by a function name");
        }
        IntrinsicFunction function = IntrinsicFunction.named(name);
        if (function == null) {
            throw problem("'" + name + "' is not an intrinsic function of Step Functions");
        }
        if (pos >= text.length() || text.charAt(pos) != '(') {
            throw problem("'" + name + "' must be followed by '(' at position " + pos);
        }
        pos++;
        List<IntrinsicArg> args = new ArrayList<>();
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
        if (function == IntrinsicFunction.FORMAT) {
            checkFormat(args);
        }
        return new Call(function, List.copyOf(args));
    }

    private void checkFormat(List<IntrinsicArg> args) {
        IntrinsicArg template = args.get(0);
        if (template instanceof Literal literal) {
            throw problem("the first argument of States.Format must be a string, but it is "
                    + Json.typeName(literal.value()));
        }
        if (template instanceof Text quoted) {
            int placeholders = quoted.pieces().size() - 1;
            if (placeholders != args.size() - 1) {
                throw problem("the States.Format template has " + IntrinsicStrings.placeholderMismatch(placeholders,
                        args.size() - 1));
            }
        }
    }

    private IntrinsicArg argument(int depth) {
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
        if (text.startsWith(IntrinsicFunction.PREFIX, pos)) {
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

    /** Why a text is not a valid intrinsic function call; the message is the whole explanation, without a trace. */
    static final class SyntaxProblem extends RuntimeException {
        SyntaxProblem(String message) {
            super(message, null, false, false);
        }
    }
}
