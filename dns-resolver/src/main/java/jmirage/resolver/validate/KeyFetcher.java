package jmirage.resolver.validate;

import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Message;
import jmirage.dns.Question;

/**
 * How the validator gets the DS and DNSKEY RRsets it needs (RFC 4035 5): the resolver's own
 * recursion, unvalidated, through the cache. The error is a sentence for the bogus reason.
 */
@FunctionalInterface
public interface KeyFetcher {
    Promise<Result<Message, String>> fetch(Question question);
}
