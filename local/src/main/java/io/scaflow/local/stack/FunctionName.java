package io.scaflow.local.stack;

/** A function name from the path: {@code NAME}, {@code NAME:QUALIFIER}, or a full or partial ARN. */
record FunctionName(String name, String qualifier) {
    static FunctionName parse(String value, String queryQualifier) {
        String[] parts = value.split(":", -1);
        FunctionName parsed;
        if (parts.length >= 7 && parts[0].equals("arn") && parts[2].equals("lambda") && parts[5].equals("function")
                && parts.length <= 8) {
            parsed = new FunctionName(parts[6], parts.length == 8 ? parts[7] : null);
        } else if (parts.length >= 3 && parts.length <= 4 && parts[1].equals("function")) {
            parsed = new FunctionName(parts[2], parts.length == 4 ? parts[3] : null);
        } else if (parts.length <= 2) {
            parsed = new FunctionName(parts[0], parts.length == 2 ? parts[1] : null);
        } else {
            return null;
        }
        if (parsed.name.isEmpty() || (parsed.qualifier != null && parsed.qualifier.isEmpty())) {
            return null;
        }
        if (queryQualifier != null && !queryQualifier.isEmpty()) {
            if (parsed.qualifier != null && !parsed.qualifier.equals(queryQualifier)) {
                return null;
            }
            return new FunctionName(parsed.name, queryQualifier);
        }
        return parsed;
    }
}
