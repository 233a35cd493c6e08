package jmirage.acme;

import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * What answers the DNS-01 challenge (RFC 8555 8.4) for the ACME client: a TXT record at
 * {@code _acme-challenge.IDENTIFIER} holding the key authorization's digest. The client calls
 * {@link #publish} and tells the server to validate only when it has completed, and calls
 * {@link #remove} once the authorization is decided, valid or not. Several values may be published
 * at one name at once (a name and its wildcard share {@code _acme-challenge.NAME}).
 */
public interface Dns01 {

    /**
     * Adds {@code TXT value} at {@code _acme-challenge.identifier}; completes when it is served.
     *
     * @param identifier the ACME identifier's value, without a {@code *.} prefix (RFC 8555 8.4)
     * @param value the base64url SHA-256 digest of the key authorization
     */
    Promise<Result<Unit, String>> publish(String identifier, String value);

    /** Removes what {@link #publish} added; other values at the same name stay. */
    Promise<Result<Unit, String>> remove(String identifier, String value);
}
