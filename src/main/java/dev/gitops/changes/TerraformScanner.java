package dev.gitops.changes;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads what change detection needs from a Terraform file, and nothing more: whether it declares a
 * {@code terraform { backend "<type>" { ... } }} block (a stack root), and the {@code source} of each top-level
 * {@code module} block. A small HCL lexer (strings with {@code ${...}} templates, heredocs, {@code #}, {@code //} and
 * block comments) tells blocks from attributes, so object expressions, braces in strings and commented-out code are
 * not mistaken for blocks. Unparseable input yields what was found before the problem.
 */
public final class TerraformScanner {
    /** What one file declares. */
    public record Result(String backend, List<String> moduleSources) {
        public boolean hasBackend() {
            return backend != null;
        }
    }

    private enum Kind { IDENT, STRING, LBRACE, RBRACE, EQUALS, NEWLINE, OTHER, EOF }

    private record Token(Kind kind, String text, boolean plainString) {
    }

    private final String src;
    private int pos;
    private Token peeked;

    private TerraformScanner(String src) {
        this.src = src;
    }

    public static Result scan(String text) {
        return new TerraformScanner(text).body();
    }

    private Result body() {
        String backend = null;
        List<String> sources = new ArrayList<>();
        try {
            while (true) {
                Token t = next();
                if (t.kind == Kind.EOF) {
                    break;
                }
                if (t.kind != Kind.IDENT) {
                    continue;
                }
                Token after = peek();
                if (after.kind == Kind.EQUALS) {
                    next();
                    skipExpression();
                    continue;
                }
                List<Token> labels = new ArrayList<>();
                while (peek().kind == Kind.STRING || peek().kind == Kind.IDENT) {
                    labels.add(next());
                }
                if (peek().kind != Kind.LBRACE) {
                    continue;
                }
                next();
                if (t.text.equals("terraform")) {
                    String found = terraformBlock();
                    backend = backend == null ? found : backend;
                } else if (t.text.equals("module")) {
                    String source = moduleBlock();
                    if (source != null) {
                        sources.add(source);
                    }
                } else {
                    skipBlockBody();
                }
            }
        } catch (IllegalStateException malformed) {
            // Keep what was read before the problem; terraform validate is the place for syntax errors.
        }
        return new Result(backend, List.copyOf(sources));
    }

    /** Inside {@code terraform { ... }}: the type of a {@code backend "<type>"} block, or of {@code cloud}. */
    private String terraformBlock() {
        String backend = null;
        while (true) {
            Token t = next();
            if (t.kind == Kind.EOF || t.kind == Kind.RBRACE) {
                return backend;
            }
            if (t.kind != Kind.IDENT) {
                continue;
            }
            if (peek().kind == Kind.EQUALS) {
                next();
                skipExpression();
                continue;
            }
            List<Token> labels = new ArrayList<>();
            while (peek().kind == Kind.STRING || peek().kind == Kind.IDENT) {
                labels.add(next());
            }
            if (peek().kind != Kind.LBRACE) {
                continue;
            }
            next();
            if (t.text.equals("backend") && !labels.isEmpty() && backend == null) {
                backend = labels.get(0).text;
            } else if (t.text.equals("cloud") && backend == null) {
                backend = "cloud";
            }
            skipBlockBody();
        }
    }

    /** Inside {@code module "x" { ... }}: the {@code source} attribute when it is a plain string. */
    private String moduleBlock() {
        String source = null;
        while (true) {
            Token t = next();
            if (t.kind == Kind.EOF || t.kind == Kind.RBRACE) {
                return source;
            }
            if (t.kind != Kind.IDENT) {
                continue;
            }
            if (peek().kind == Kind.EQUALS) {
                next();
                if (t.text.equals("source") && peek().kind == Kind.STRING && peek().plainString) {
                    Token value = next();
                    Token end = peek();
                    if (end.kind == Kind.NEWLINE || end.kind == Kind.RBRACE || end.kind == Kind.EOF) {
                        source = value.text;
                        continue;
                    }
                }
                skipExpression();
                continue;
            }
            while (peek().kind == Kind.STRING || peek().kind == Kind.IDENT) {
                next();
            }
            if (peek().kind == Kind.LBRACE) {
                next();
                skipBlockBody();
            }
        }
    }

    private void skipBlockBody() {
        int depth = 1;
        while (depth > 0) {
            Token t = next();
            if (t.kind == Kind.EOF) {
                return;
            }
            if (t.kind == Kind.LBRACE) {
                depth++;
            } else if (t.kind == Kind.RBRACE) {
                depth--;
            }
        }
    }

    /** An attribute value: to the end of the line, across lines while brackets are open. */
    private void skipExpression() {
        int depth = 0;
        while (true) {
            Token t = peek();
            if (t.kind == Kind.EOF) {
                return;
            }
            if (depth == 0 && (t.kind == Kind.NEWLINE || t.kind == Kind.RBRACE)) {
                return;
            }
            next();
            if (t.kind == Kind.LBRACE || (t.kind == Kind.OTHER && (t.text.equals("[") || t.text.equals("(")))) {
                depth++;
            } else if (t.kind == Kind.RBRACE || (t.kind == Kind.OTHER && (t.text.equals("]") || t.text.equals(")")))) {
                depth--;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------ lexer

    private Token peek() {
        if (peeked == null) {
            peeked = lex();
        }
        return peeked;
    }

    private Token next() {
        Token t = peek();
        peeked = null;
        return t;
    }

    private Token lex() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                return new Token(Kind.NEWLINE, "\n", false);
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#' || (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/')) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                pos = end < 0 ? src.length() : end + 2;
            } else if (c == '"') {
                return string();
            } else if (c == '<' && src.startsWith("<<", pos) && heredocStart()) {
                return heredoc();
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
                        || src.charAt(pos) == '-')) {
                    pos++;
                }
                return new Token(Kind.IDENT, src.substring(start, pos), false);
            } else {
                pos++;
                return switch (c) {
                    case '{' -> new Token(Kind.LBRACE, "{", false);
                    case '}' -> new Token(Kind.RBRACE, "}", false);
                    case '=' -> {
                        if (pos < src.length() && (src.charAt(pos) == '=' || src.charAt(pos) == '>')) {
                            pos++;
                            yield new Token(Kind.OTHER, "=" + src.charAt(pos - 1), false);
                        }
                        yield new Token(Kind.EQUALS, "=", false);
                    }
                    default -> new Token(Kind.OTHER, String.valueOf(c), false);
                };
            }
        }
        return new Token(Kind.EOF, "", false);
    }

    /** A quoted string; templates ({@code ${...}}, {@code %{...}}) are skipped with their nesting. */
    private Token string() {
        pos++;
        StringBuilder value = new StringBuilder();
        boolean plain = true;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                return new Token(Kind.STRING, value.toString(), plain);
            }
            if (c == '\n') {
                throw new IllegalStateException("unterminated string");
            }
            if (c == '\\' && pos + 1 < src.length()) {
                char escaped = src.charAt(pos + 1);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> escaped;
                });
                pos += 2;
            } else if ((c == '$' || c == '%') && pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
                if (pos + 2 < src.length() && src.charAt(pos + 2) == '{') {
                    value.append(c);
                    pos++;
                    continue;
                }
                plain = false;
                pos += 2;
                skipTemplate();
            } else {
                value.append(c);
                pos++;
            }
        }
        throw new IllegalStateException("unterminated string");
    }

    private void skipTemplate() {
        int depth = 1;
        while (pos < src.length() && depth > 0) {
            char c = src.charAt(pos);
            if (c == '"') {
                string();
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
            pos++;
        }
    }

    private boolean heredocStart() {
        int p = pos + 2;
        if (p < src.length() && src.charAt(p) == '-') {
            p++;
        }
        return p < src.length() && (Character.isLetter(src.charAt(p)) || src.charAt(p) == '_');
    }

    private Token heredoc() {
        pos += 2;
        if (src.charAt(pos) == '-') {
            pos++;
        }
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        String marker = src.substring(start, pos);
        int lineEnd = src.indexOf('\n', pos);
        if (lineEnd < 0) {
            throw new IllegalStateException("unterminated heredoc");
        }
        int line = lineEnd + 1;
        while (line <= src.length()) {
            int end = src.indexOf('\n', line);
            String text = src.substring(line, end < 0 ? src.length() : end);
            if (text.trim().equals(marker)) {
                pos = end < 0 ? src.length() : end;
                return new Token(Kind.STRING, "", false);
            }
            if (end < 0) {
                break;
            }
            line = end + 1;
        }
        throw new IllegalStateException("unterminated heredoc");
    }
}
