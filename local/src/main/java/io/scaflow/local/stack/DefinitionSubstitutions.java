package io.scaflow.local.stack;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a state machine's {@code DefinitionSubstitutions} to its definition text, as CloudFormation does before
 * creating the state machine: every {@code ${Name}} becomes the value given for {@code Name}.
 */
public final class DefinitionSubstitutions {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.:-]+)}");

    private DefinitionSubstitutions() {
    }

    /**
     * The definition with every {@code ${Name}} replaced by {@code substitutions.get(Name)} (the value is inserted as
     * is: it lands inside a JSON string in practice, so it must need no escaping, as ARNs do not).
     *
     * @throws IllegalArgumentException naming the placeholders that have no value (AWS would keep them and fail at
     *         run time; here a missing value is a mistake of the caller)
     */
    public static String apply(String definition, Map<String, String> substitutions) {
        Matcher matcher = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder(definition.length() + 256);
        Set<String> missing = new LinkedHashSet<>();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = substitutions.get(name);
            if (value == null) {
                missing.add(name);
                matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group()));
            } else {
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            }
        }
        matcher.appendTail(out);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no value for the definition substitution(s) " + missing);
        }
        return out.toString();
    }
}
