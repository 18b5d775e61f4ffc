package dev.gitops.routing;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Path-style globs, as used for branches ({@code feature/**}), repositories ({@code acme/*}) and files
 * ({@code shared/**}{@code /*.tfvars}): {@code *} matches within one segment, {@code **} across segments, {@code **}{@code /}
 * any number of whole segments (none included), {@code ?} one character; everything else is literal.
 *
 * <p>Matched by stepping through the text once with the set of places the glob could be at (an NFA), never by
 * backtracking: time grows with the text's length times the glob's, whatever the glob
 * ({@code *a*a*a*a*a*a*a*a*a*a*a*a*b} against a long path takes microseconds, as any other).
 */
public final class Glob {
    /**
     * {@code **}{@code /} is two places: {@code SEGMENTS} leads to the token after it (no segment) or into
     * {@code SEGMENTS_LOOP}, which reads any character and leaves only by reading a '/'.
     */
    private enum Kind { LITERAL, ONE, STAR, ANY, SEGMENTS, SEGMENTS_LOOP }

    private record Token(Kind kind, char literal) {
    }

    private final String text;
    private final Token[] tokens;

    private Glob(String text, Token[] tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    public static Glob of(String text) {
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < text.length() && text.charAt(i + 1) == '/') {
                        i++;
                        tokens.add(new Token(Kind.SEGMENTS, '\0'));
                        tokens.add(new Token(Kind.SEGMENTS_LOOP, '\0'));
                    } else {
                        tokens.add(new Token(Kind.ANY, '\0'));
                    }
                } else {
                    tokens.add(new Token(Kind.STAR, '\0'));
                }
            } else if (c == '?') {
                tokens.add(new Token(Kind.ONE, '\0'));
            } else {
                tokens.add(new Token(Kind.LITERAL, c));
            }
        }
        return new Glob(text, tokens.toArray(Token[]::new));
    }

    public boolean matches(String value) {
        int m = tokens.length;
        BitSet current = new BitSet(m + 1);
        current.set(0);
        close(current);
        for (int i = 0; i < value.length() && !current.isEmpty(); i++) {
            char c = value.charAt(i);
            BitSet next = new BitSet(m + 1);
            for (int at = current.nextSetBit(0); at >= 0 && at < m; at = current.nextSetBit(at + 1)) {
                Token token = tokens[at];
                switch (token.kind()) {
                    case LITERAL -> {
                        if (c == token.literal()) {
                            next.set(at + 1);
                        }
                    }
                    case ONE -> {
                        if (c != '/') {
                            next.set(at + 1);
                        }
                    }
                    case STAR -> {
                        if (c != '/') {
                            next.set(at);
                        }
                    }
                    case ANY -> next.set(at);
                    case SEGMENTS -> {
                        // reads nothing: its ways on are added by close()
                    }
                    case SEGMENTS_LOOP -> {
                        next.set(at);
                        if (c == '/') {
                            next.set(at + 1);
                        }
                    }
                }
            }
            close(next);
            current = next;
        }
        return current.get(m);
    }

    /**
     * Adds the places reachable without reading: past a {@code *} or {@code **} (none of its characters), and from
     * {@code **}{@code /} into its loop or past it (no segment).
     */
    private void close(BitSet states) {
        for (int at = 0; at < tokens.length; at++) {
            if (!states.get(at)) {
                continue;
            }
            switch (tokens[at].kind()) {
                case STAR, ANY -> states.set(at + 1);
                case SEGMENTS -> {
                    states.set(at + 1);
                    states.set(at + 2);
                }
                default -> {
                    // reads a character to move on
                }
            }
        }
    }

    /** Whether the glob names exactly one value (no wildcard). */
    public boolean isLiteral() {
        return text.indexOf('*') < 0 && text.indexOf('?') < 0;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
