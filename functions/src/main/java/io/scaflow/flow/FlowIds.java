package io.scaflow.flow;

import java.util.regex.Pattern;

/**
 * The flow id rule, one definition for the steps and the API: 1 to 80 letters, digits, {@code -} or {@code _}
 * (a Step Functions execution name, which is the flow id, and safe in a URL path and a DynamoDB key).
 */
public final class FlowIds {

    /** The rule in words, for error messages. */
    public static final String RULE = "1 to 80 letters, digits, '-' or '_'";
    private static final Pattern FLOW_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private FlowIds() {
    }

    public static boolean isFlowId(String id) {
        return id != null && FLOW_ID.matcher(id).matches();
    }
}
