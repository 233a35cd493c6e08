package jmirage.dns;

import java.util.Objects;

/** A resource record (RFC 1035 3.2.1): owner, class, TTL (unsigned 32-bit) and typed data. */
public record Record(Name name, int rrClass, long ttl, Rdata rdata) {
    public Record {
        Objects.requireNonNull(name);
        Objects.requireNonNull(rdata);
        Rdata.Check.u16(rrClass);
        Rdata.Check.u32(ttl);
    }

    public static Record in(Name name, long ttl, Rdata rdata) {
        return new Record(name, DnsClass.IN, ttl, rdata);
    }

    public int type() {
        return rdata.type();
    }

    /** Master-file presentation form, one line. */
    @Override
    public String toString() {
        return name + " " + ttl + " " + DnsClass.name(rrClass) + " " + Type.name(type()) + " " + RdataText.print(rdata);
    }
}
