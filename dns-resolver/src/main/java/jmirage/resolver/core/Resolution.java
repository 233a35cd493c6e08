package jmirage.resolver.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jmirage.dns.EdnsOption;
import jmirage.dns.Question;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.resolver.upstream.CaseRestore;

/**
 * What resolving one question produced, before a client's flags shape it into a response: the
 * rcode and sections as the authorities gave them (a CNAME/DNAME chain and its final answer in
 * {@code answer}, RRSIGs beside the records they sign, NSEC/NSEC3 and SOA in {@code authority}),
 * their DNSSEC status, and an RFC 8914 error when resolution failed or served stale data.
 *
 * @param stale served from an expired cache entry because the authorities did not answer (RFC 8767)
 * @param authoritative answered from the resolver's own local data (a local zone or hosts file): the
 *     response has AA set (RFC 1035 4.1.1), as unbound does for its local-data
 */
public record Resolution(Question question, int rcode, List<Record> answer, List<Record> authority, List<Record> additional,
        Security security, Optional<EdnsOption.ExtendedError> error, boolean stale, boolean authoritative) {

    public Resolution {
        Objects.requireNonNull(question);
        answer = List.copyOf(answer);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
        Objects.requireNonNull(security);
        Objects.requireNonNull(error);
    }

    /** A resolution from recursion or the cache: not authoritative. */
    public Resolution(Question question, int rcode, List<Record> answer, List<Record> authority, List<Record> additional,
            Security security, Optional<EdnsOption.ExtendedError> error, boolean stale) {
        this(question, rcode, answer, authority, additional, security, error, stale, false);
    }

    /** SERVFAIL with an extended error (RFC 8914), nothing else. */
    public static Resolution failure(Question question, int edeCode, String text) {
        return new Resolution(question, jmirage.dns.Header.SERVFAIL, List.of(), List.of(), List.of(), Security.INDETERMINATE,
                Optional.of(new EdnsOption.ExtendedError(edeCode, text)), false);
    }

    /**
     * This resolution given to a client who asked {@code asked}: the same question but for the case
     * of its name (RFC 4343: a cached answer is given in each asker's case, as Unbound and Knot
     * Resolver do), names in the records that end in the question's name rewritten to that case.
     */
    public Resolution askedAs(Question asked) {
        if (question.name().equalsExact(asked.name())) {
            return this;
        }
        Name from = question.name();
        Name to = asked.name();
        return new Resolution(asked, rcode, CaseRestore.records(answer, from, to), CaseRestore.records(authority, from, to),
                CaseRestore.records(additional, from, to), security, error, stale, authoritative);
    }
}
