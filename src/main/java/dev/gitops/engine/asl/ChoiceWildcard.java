package dev.gitops.engine.asl;

import java.util.ArrayList;
import java.util.List;

/**
 * A StringMatches pattern: {@code *} matches any run of characters (including none), {@code \*} a literal star and
 * {@code \\} a literal backslash; every other character, including a backslash before anything else, is literal.
 * The whole string must match.
 */
final class ChoiceWildcard {
    private final String prefix;
    private final String[] middle;
    private final String suffix;
    private final boolean hasStar;

    private ChoiceWildcard(String prefix, String[] middle, String suffix, boolean hasStar) {
        this.prefix = prefix;
        this.middle = middle;
        this.suffix = suffix;
        this.hasStar = hasStar;
    }

    static ChoiceWildcard compile(String pattern) {
        List<String> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length() && (pattern.charAt(i + 1) == '*' || pattern.charAt(i + 1) == '\\')) {
                current.append(pattern.charAt(++i));
            } else if (c == '*') {
                segments.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        segments.add(current.toString());
        if (segments.size() == 1) {
            return new ChoiceWildcard(segments.get(0), new String[0], "", false);
        }
        String[] middle = segments.subList(1, segments.size() - 1).stream().filter(s -> !s.isEmpty()).toArray(String[]::new);
        return new ChoiceWildcard(segments.get(0), middle, segments.get(segments.size() - 1), true);
    }

    boolean matches(String value) {
        if (!hasStar) {
            return prefix.equals(value);
        }
        int end = value.length() - suffix.length();
        if (end < prefix.length() || !value.startsWith(prefix) || !value.endsWith(suffix)) {
            return false;
        }
        int position = prefix.length();
        for (String segment : middle) {
            int found = value.indexOf(segment, position);
            if (found < 0 || found + segment.length() > end) {
                return false;
            }
            position = found + segment.length();
        }
        return true;
    }
}
