package jmirage.authoritative.zone;

import java.util.List;
import java.util.Objects;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;

/**
 * The records of one owner name and type (RFC 2181 5): one TTL for all, no duplicates, in the
 * order they were first seen.
 */
public record RRset(Name owner, int type, long ttl, List<Rdata> rdata) {
    public RRset {
        Objects.requireNonNull(owner);
        rdata = List.copyOf(rdata);
        if (rdata.isEmpty()) {
            throw new IllegalArgumentException("an RRset has at least one record");
        }
    }

    /** The records as they go on the wire, class IN. */
    public List<Record> records() {
        return rdata.stream().map(r -> new Record(owner, DnsClass.IN, ttl, r)).toList();
    }
}
