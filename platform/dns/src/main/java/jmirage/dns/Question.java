package jmirage.dns;

import java.util.Objects;

/** An entry of the question section (RFC 1035 4.1.2). */
public record Question(Name name, int qtype, int qclass) {
    public Question {
        Objects.requireNonNull(name);
        Rdata.Check.u16(qtype);
        Rdata.Check.u16(qclass);
    }

    public Question(Name name, int qtype) {
        this(name, qtype, DnsClass.IN);
    }
}
