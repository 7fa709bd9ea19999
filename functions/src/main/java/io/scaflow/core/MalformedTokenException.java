package io.scaflow.core;

/**
 * A token cannot be sent as it is (see {@link Tokens}): the flow fails before anything is sent. The message says
 * which token and where it came from, never the token.
 */
public final class MalformedTokenException extends RuntimeException {

    /** {@code which}: the token and where it is from, e.g. "the access token in secret scaflow/users/u-1". */
    public MalformedTokenException(String which, boolean shortLived) {
        super(which + " cannot be sent in an HTTP header as it is: it must be "
                + (shortLived ? Tokens.HEADER_RULE : Tokens.BEARER_RULE));
    }
}
