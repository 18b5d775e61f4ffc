package dev.gitops.engine;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code ${Name}} placeholders in a definition's text, as SAM and CloudFormation fill
 * {@code DefinitionSubstitutions}: plain text replacement, so a placeholder inside a JSON string takes a string value
 * and a bare one (a number) takes its literal. A placeholder without a value is refused, naming every one missing.
 */
public final class DefinitionSubstitutions {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private DefinitionSubstitutions() {
    }

    public static String apply(String definition, Map<String, String> values) {
        Set<String> missing = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(definition);
        StringBuilder result = new StringBuilder(definition.length());
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                missing.add(matcher.group(1));
                matcher.appendReplacement(result, Matcher.quoteReplacement(matcher.group()));
            } else {
                matcher.appendReplacement(result, Matcher.quoteReplacement(value));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the definition uses placeholder(s) with no value: "
                    + String.join(", ", missing.stream().map(name -> "${" + name + "}").toList()));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** The placeholder names a definition uses. */
    public static Set<String> names(String definition) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(definition);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
