package jmirage.resolver.validate;

import jmirage.dns.Message;
import jmirage.resolver.core.Security;

/**
 * A response and its DNSSEC status. {@code response} is what may be given to a client and cached:
 * records that could not be validated where validation was required are removed (RFC 4035 4.3),
 * the rest as the authorities sent them.
 */
public record Validated(Security security, Message response) {}
