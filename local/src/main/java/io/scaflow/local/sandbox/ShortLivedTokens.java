package io.scaflow.local.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The short-lived tokens issued on confirmation: valid for {@code lifetime} from the confirmation, single use,
 * for the confirmed action only, and bound to the confirmed payload.
 */
final class ShortLivedTokens {

    /** What a token allows. {@code order} is null for actions other than a bank transfer. */
    record Grant(String actionRequestId, String action, String uid, TransferOrder order, Instant expiresAt) {
    }

    private final Duration lifetime;
    private final Map<String, Grant> grants = new HashMap<>();
    private final Map<String, String> used = new HashMap<>();

    ShortLivedTokens(Duration lifetime) {
        this.lifetime = lifetime;
    }

    synchronized String issue(ActionRequest request, TransferOrder order, Instant confirmedAt) {
        String token = Secrets.randomToken(24);
        grants.put(token, new Grant(request.id(), request.action(), request.uid(), order,
                confirmedAt.plus(lifetime)));
        return token;
    }

    /**
     * Checks the token for this transfer and marks it used, atomically. A refused attempt leaves the token
     * usable (a client may correct its call); a successful one spends it.
     *
     * @return the grant, whose action request id the transfer records
     */
    synchronized Grant redeemForTransfer(String token, TransferOrder order, Instant now) {
        if (token == null || token.isBlank()) {
            throw SandboxException.tokenRefused("the short-lived-token header is missing");
        }
        if (used.containsKey(token)) {
            throw SandboxException.tokenRefused("the short-lived token has already been used");
        }
        Grant grant = grants.get(token);
        if (grant == null) {
            throw SandboxException.tokenRefused("the short-lived token is unknown");
        }
        if (!now.isBefore(grant.expiresAt())) {
            throw SandboxException.tokenRefused("the short-lived token has expired");
        }
        if (!SandboxConfig.TRANSFER_ACTION.equals(grant.action()) || grant.order() == null) {
            throw SandboxException.tokenRefused("the short-lived token was issued for another action");
        }
        String difference = order.differenceFrom(grant.order());
        if (difference != null) {
            throw SandboxException.tokenRefused(
                    "the transfer differs from the confirmed payload (" + difference + ")");
        }
        grants.remove(token);
        used.put(token, grant.actionRequestId());
        return grant;
    }

    synchronized void clear() {
        grants.clear();
        used.clear();
    }
}
