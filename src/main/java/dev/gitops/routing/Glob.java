package dev.gitops.routing;

import java.util.regex.Pattern;

/**
 * Path-style globs, as used for branches ({@code feature/**}), repositories ({@code acme/*}) and files
 * ({@code shared/**}{@code /*.tfvars}): {@code *} matches within one segment, {@code **} across segments, {@code ?} one
 * character; everything else is literal.
 */
public final class Glob {
    private final String text;
    private final Pattern pattern;

    private Glob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    public static Glob of(String text) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < text.length() && text.charAt(i + 1) == '/') {
                        i++;
                        regex.append("(?:.*/)?");
                    } else {
                        regex.append(".*");
                    }
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(text, Pattern.compile(regex.toString()));
    }

    public boolean matches(String value) {
        return pattern.matcher(value).matches();
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
