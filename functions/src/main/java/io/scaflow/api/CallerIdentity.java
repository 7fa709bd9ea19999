package io.scaflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who called, as a flow owner: the IAM identity API Gateway authenticated ({@code requestContext.identity.userArn}),
 * or nobody. Nothing else stands in for it (not {@code caller}, not the account): without an IAM ARN the request
 * is refused (403), so a stage deployed without IAM authorization fails closed.
 *
 * <p>Every session of a role is the role: {@code arn:aws:sts::ACCT:assumed-role/ROLE/SESSION} is owned as
 * {@code arn:aws:iam::ACCT:role/ROLE}, so two tasks of one role share their flows and Idempotency-Keys (a retry from
 * another session finds the first flow instead of starting a second). An assumed-role ARN does not carry the
 * role's path: a role {@code /team/ROLE} is owned as {@code role/ROLE}, which still names one role (role names are
 * unique in an account whatever their path). Users, root and federated users are owned as their ARN.
 */
final class CallerIdentity {

    private static final Pattern IAM_ARN = Pattern.compile("arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:[!-~]{1,1900}");
    private static final Pattern ASSUMED_ROLE =
            Pattern.compile("arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([^/]+)/[^/]+");

    private static final Pattern PRINCIPAL_ID = Pattern.compile("[A-Za-z0-9:._@=,+-]{1,256}");

    private CallerIdentity() {
    }

    /** The IAM ARN of {@code identity} as authenticated (a role session's own ARN); empty without one. */
    static Optional<String> arn(JsonNode identity) {
        JsonNode arn = identity.path("userArn");
        return arn.isTextual() && IAM_ARN.matcher(arn.asText()).matches() ? Optional.of(arn.asText())
                : Optional.empty();
    }

    /** {@code identity.caller}, the principal id (e.g. {@code AROA...:session}), when it reads as one. */
    static Optional<String> principalId(JsonNode identity) {
        JsonNode caller = identity.path("caller");
        return caller.isTextual() && PRINCIPAL_ID.matcher(caller.asText()).matches() ? Optional.of(caller.asText())
                : Optional.empty();
    }

    /** The owner of the caller of {@code identity} ({@code requestContext.identity}); empty without an IAM ARN. */
    static Optional<String> owner(JsonNode identity) {
        JsonNode arn = identity.path("userArn");
        if (!arn.isTextual() || !IAM_ARN.matcher(arn.asText()).matches()) {
            return Optional.empty();
        }
        Matcher session = ASSUMED_ROLE.matcher(arn.asText());
        return Optional.of(session.matches()
                ? "arn:" + session.group(1) + ":iam::" + session.group(2) + ":role/" + session.group(3)
                : arn.asText());
    }
}
