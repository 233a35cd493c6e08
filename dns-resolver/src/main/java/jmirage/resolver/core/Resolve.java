package jmirage.resolver.core;

import jmirage.core.Promise;
import jmirage.dns.Question;

/**
 * The resolver as the serving layer sees it: one question in, its resolution out, on the loop.
 * With {@code checkingDisabled} (the client's CD bit, RFC 4035 3.2.2) bogus data is returned
 * rather than SERVFAIL. The promise never fails: a failure is a SERVFAIL resolution.
 */
@FunctionalInterface
public interface Resolve {
    Promise<Resolution> resolve(Question question, boolean checkingDisabled);
}
