package io.scaflow.store;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * DynamoDB's condition and update expressions, evaluated on an item in memory for the forms {@link FlowStore}
 * writes: comparisons ({@code =}, {@code <>}) of a path or {@code size(path)} with a value, {@code AND}, {@code NOT},
 * {@code attribute_exists}, {@code attribute_not_exists}, {@code contains}; {@code SET} with {@code list_append}
 * and {@code if_not_exists}, {@code ADD} to a set or a number, {@code REMOVE}. A missing attribute makes a
 * comparison false, as in DynamoDB. DynamoDB's validation errors are kept: a placeholder that is not defined, or
 * defined and not used, an empty set, two actions on one path. Any other form throws
 * {@link UnsupportedOperationException}: teach it here before the store relies on it.
 */
final class DynamoExpressions {

    private static final Pattern PLACEHOLDER = Pattern.compile("[#:][A-Za-z0-9_]+");
    private static final Pattern CALL = Pattern.compile("([a-z_]+)\\((.*)\\)", Pattern.DOTALL);
    private static final List<String> CLAUSES = List.of("SET", "ADD", "REMOVE", "DELETE");

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;

    DynamoExpressions(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names == null ? Map.of() : names;
        this.values = values == null ? Map.of() : values;
    }

    /** Throws DynamoDB's ValidationException unless every placeholder is defined and used, and no set is empty. */
    void validate(String... expressions) {
        Set<String> used = new HashSet<>();
        for (String expression : expressions) {
            if (expression != null) {
                Matcher matcher = PLACEHOLDER.matcher(expression);
                while (matcher.find()) {
                    used.add(matcher.group());
                }
            }
        }
        for (String placeholder : used) {
            if (!(placeholder.startsWith("#") ? names : values).containsKey(placeholder)) {
                throw validation("An expression attribute " + (placeholder.startsWith("#") ? "name" : "value")
                        + " used in expression is not defined; attribute: " + placeholder);
            }
        }
        names.keySet().stream().filter(name -> !used.contains(name)).findFirst().ifPresent(name -> {
            throw validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + name + "}");
        });
        values.forEach((key, value) -> {
            if (!used.contains(key)) {
                throw validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + key + "}");
            }
            if ((value.hasSs() && value.ss().isEmpty()) || (value.hasNs() && value.ns().isEmpty())) {
                throw validation("ExpressionAttributeValues contains invalid value: One or more parameter values were "
                        + "invalid: An string set may not be empty for key " + key);
            }
        });
    }

    /** Whether {@code condition} holds on {@code item} (null: no item). */
    boolean holds(String condition, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> on = item == null ? Map.of() : item;
        return split(condition, " AND ").stream().allMatch(term -> term(term.trim(), on));
    }

    /** Applies {@code expression} to {@code item}, in place. */
    void update(String expression, Map<String, AttributeValue> item) {
        Set<String> paths = new HashSet<>();
        for (String[] clause : clauses(expression)) {
            for (String action : split(clause[1], ",")) {
                String text = action.trim();
                switch (clause[0]) {
                    case "SET" -> {
                        int eq = text.indexOf('=');
                        String path = path(text.substring(0, eq).trim(), paths);
                        item.put(path, operand(text.substring(eq + 1).trim(), item));
                    }
                    case "ADD" -> {
                        String[] parts = text.split("\\s+", 2);
                        String path = path(parts[0], paths);
                        item.put(path, add(item.get(path), value(parts[1].trim())));
                    }
                    case "REMOVE" -> item.remove(path(text, paths));
                    default -> throw new UnsupportedOperationException("update clause " + clause[0]);
                }
            }
        }
    }

    private boolean term(String term, Map<String, AttributeValue> item) {
        if (term.startsWith("(") && closes(term)) {
            return holds(term.substring(1, term.length() - 1), item);
        }
        if (term.startsWith("NOT ")) {
            return !term(term.substring(4).trim(), item);
        }
        if (term.contains(" OR ")) {
            throw new UnsupportedOperationException("OR in a condition: " + term);
        }
        for (String operator : List.of(" <> ", " = ")) {
            List<String> sides = split(term, operator);
            if (sides.size() == 2) {
                AttributeValue left = comparand(sides.get(0).trim(), item);
                AttributeValue right = comparand(sides.get(1).trim(), item);
                if (left == null || right == null) {
                    return false;
                }
                return operator.equals(" = ") == same(left, right);
            }
        }
        Matcher call = CALL.matcher(term);
        if (!call.matches()) {
            throw new UnsupportedOperationException("condition " + term);
        }
        List<String> arguments = split(call.group(2), ",");
        String path = name(arguments.get(0).trim());
        return switch (call.group(1)) {
            case "attribute_exists" -> item.containsKey(path);
            case "attribute_not_exists" -> !item.containsKey(path);
            case "contains" -> contains(item.get(path), value(arguments.get(1).trim()));
            default -> throw new UnsupportedOperationException("condition function " + call.group(1));
        };
    }

    /** A path, a value or {@code size(path)}; null when the attribute is missing. */
    private AttributeValue comparand(String text, Map<String, AttributeValue> item) {
        Matcher call = CALL.matcher(text);
        if (call.matches()) {
            if (!call.group(1).equals("size")) {
                throw new UnsupportedOperationException("comparison operand " + text);
            }
            AttributeValue of = item.get(name(call.group(2).trim()));
            return of == null ? null : AttributeValue.fromN(Integer.toString(size(of)));
        }
        return text.startsWith(":") ? value(text) : item.get(name(text));
    }

    private AttributeValue operand(String text, Map<String, AttributeValue> item) {
        Matcher call = CALL.matcher(text);
        if (!call.matches()) {
            return text.startsWith(":") ? value(text) : item.get(name(text));
        }
        List<String> arguments = split(call.group(2), ",");
        return switch (call.group(1)) {
            case "if_not_exists" -> {
                AttributeValue present = item.get(name(arguments.get(0).trim()));
                yield present != null ? present : operand(arguments.get(1).trim(), item);
            }
            case "list_append" -> {
                AttributeValue first = operand(arguments.get(0).trim(), item);
                AttributeValue second = operand(arguments.get(1).trim(), item);
                if (first == null || second == null || !first.hasL() || !second.hasL()) {
                    throw validation("Invalid UpdateExpression: Incorrect operand type for operator or function; "
                            + "operator or function: list_append");
                }
                List<AttributeValue> joined = new ArrayList<>(first.l());
                joined.addAll(second.l());
                yield AttributeValue.fromL(joined);
            }
            default -> throw new UnsupportedOperationException("update function " + call.group(1));
        };
    }

    private static AttributeValue add(AttributeValue current, AttributeValue added) {
        if (added.hasSs()) {
            if (current != null && !current.hasSs()) {
                throw validation("An operand in the update expression has an incorrect data type");
            }
            Set<String> union = new LinkedHashSet<>(current == null ? List.of() : current.ss());
            union.addAll(added.ss());
            return AttributeValue.fromSs(List.copyOf(union));
        }
        if (added.n() != null) {
            BigDecimal base = current == null ? BigDecimal.ZERO : new BigDecimal(current.n());
            return AttributeValue.fromN(base.add(new BigDecimal(added.n())).toPlainString());
        }
        throw validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD");
    }

    private static boolean contains(AttributeValue in, AttributeValue what) {
        if (in == null) {
            return false;
        }
        if (in.hasSs()) {
            return in.ss().contains(what.s());
        }
        if (in.hasL()) {
            return in.l().stream().anyMatch(element -> same(element, what));
        }
        return in.s() != null && what.s() != null && in.s().contains(what.s());
    }

    private static int size(AttributeValue value) {
        if (value.s() != null) {
            return value.s().length();
        }
        if (value.hasSs()) {
            return value.ss().size();
        }
        if (value.hasL()) {
            return value.l().size();
        }
        if (value.hasM()) {
            return value.m().size();
        }
        throw new UnsupportedOperationException("size of " + value);
    }

    private static boolean same(AttributeValue left, AttributeValue right) {
        if (left.n() != null && right.n() != null) {
            return new BigDecimal(left.n()).compareTo(new BigDecimal(right.n())) == 0;
        }
        return left.equals(right);
    }

    private String path(String placeholder, Set<String> paths) {
        String path = name(placeholder);
        if (!paths.add(path)) {
            throw validation("Invalid UpdateExpression: Two document paths overlap with each other; "
                    + "must remove or rewrite one of these paths; path one: [" + path + "], path two: [" + path + "]");
        }
        return path;
    }

    private String name(String placeholder) {
        if (!placeholder.startsWith("#") || !names.containsKey(placeholder)) {
            throw new UnsupportedOperationException("attribute path " + placeholder + " (only #placeholders)");
        }
        return names.get(placeholder);
    }

    private AttributeValue value(String placeholder) {
        AttributeValue value = values.get(placeholder);
        if (value == null) {
            throw validation("An expression attribute value used in expression is not defined; " + placeholder);
        }
        return value;
    }

    /** {@code SET a, b ADD c REMOVE d} as {clause, its actions}. */
    private static List<String[]> clauses(String expression) {
        List<String[]> clauses = new ArrayList<>();
        String rest = expression.trim();
        while (!rest.isEmpty()) {
            String keyword = rest.split("\\s+", 2)[0];
            if (!CLAUSES.contains(keyword)) {
                throw new UnsupportedOperationException("update expression " + expression);
            }
            rest = rest.substring(keyword.length()).trim();
            int end = rest.length();
            for (String next : CLAUSES) {
                int at = topLevel(rest, " " + next + " ");
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            clauses.add(new String[] {keyword, rest.substring(0, end)});
            rest = rest.substring(end).trim();
        }
        return clauses;
    }

    /** {@code text} split at each {@code separator} outside parentheses. */
    private static List<String> split(String text, String separator) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && text.startsWith(separator, i)) {
                parts.add(text.substring(from, i));
                from = i + separator.length();
                i = from - 1;
            }
        }
        parts.add(text.substring(from));
        return parts;
    }

    private static int topLevel(String text, String what) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && text.startsWith(what, i)) {
                return i;
            }
        }
        return -1;
    }

    /** True when the parenthesis opening {@code term} is the one closing it. */
    private static boolean closes(String term) {
        int depth = 0;
        for (int i = 0; i < term.length(); i++) {
            depth += term.charAt(i) == '(' ? 1 : term.charAt(i) == ')' ? -1 : 0;
            if (depth == 0 && i < term.length() - 1) {
                return false;
            }
        }
        return true;
    }

    static DynamoDbException validation(String message) {
        return (DynamoDbException) DynamoDbException.builder().message(message).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage(message).build())
                .build();
    }
}
