package io.scaflow.local.stack;

import io.scaflow.local.emulator.LocalAws;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM identities the local gateway knows when it checks SigV4 signatures ({@code make run SIGV4=1}): each access
 * key with its secret key, optional session token, and the identity API Gateway would put in
 * {@code requestContext.identity} for it. By default the local stack's own credentials
 * ({@link LocalAws#ACCESS_KEY_ID}), as the IAM user {@link LocalApiGateway#CALLER_ARN}.
 */
public final class LocalCredentials {

    /** One access key and whom it authenticates: {@code userArn}, {@code caller} (the principal id), the account. */
    public record Identity(String accessKeyId, String secretAccessKey, Optional<String> sessionToken, String userArn,
                           String principalId, String accountId) {

        /** A long-term key of an IAM user or role ARN of the local account. */
        public static Identity of(String accessKeyId, String secretAccessKey, String userArn, String principalId) {
            return new Identity(accessKeyId, secretAccessKey, Optional.empty(), userArn, principalId,
                    LocalAws.ACCOUNT_ID);
        }

        /** No secret key in a log line or an assertion message. */
        @Override
        public String toString() {
            return "Identity[" + accessKeyId + " as " + userArn + "]";
        }
    }

    /** The principal id of the local caller ({@code requestContext.identity.caller}, {@code user}). */
    static final String LOCAL_PRINCIPAL_ID = "AIDALOCALSCAFLOWCALLER";

    private final Map<String, Identity> byAccessKey;

    private LocalCredentials(Map<String, Identity> byAccessKey) {
        this.byAccessKey = byAccessKey;
    }

    /** The local stack's credentials, as {@link LocalApiGateway#CALLER_ARN}. */
    public static LocalCredentials defaults() {
        return of(List.of(Identity.of(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, LocalApiGateway.CALLER_ARN,
                LOCAL_PRINCIPAL_ID)));
    }

    public static LocalCredentials of(List<Identity> identities) {
        Map<String, Identity> byAccessKey = new LinkedHashMap<>();
        identities.forEach(identity -> byAccessKey.put(identity.accessKeyId(), identity));
        return new LocalCredentials(Map.copyOf(byAccessKey));
    }

    /** The identity of {@code accessKeyId}, if known. */
    Optional<Identity> identity(String accessKeyId) {
        return Optional.ofNullable(byAccessKey.get(accessKeyId));
    }
}
