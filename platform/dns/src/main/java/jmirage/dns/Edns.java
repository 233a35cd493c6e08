package jmirage.dns;

import java.util.List;

/**
 * The OPT pseudo-record's content (RFC 6891 6.1.3): the sender's UDP payload size, the EDNS
 * version, the DO bit (RFC 3225), the other flag bits and the options. The extended RCODE bits live
 * in {@link Header#rcode()}.
 */
public record Edns(int udpPayloadSize, int version, boolean dnssecOk, int flags, List<EdnsOption> options) {
    public Edns {
        Rdata.Check.u16(udpPayloadSize);
        Rdata.Check.u8(version);
        if (flags < 0 || flags > 0x7fff) {
            throw new IllegalArgumentException("EDNS flags are 15 bits besides DO");
        }
        options = List.copyOf(options);
    }

    public static Edns of(int udpPayloadSize) {
        return new Edns(udpPayloadSize, 0, false, 0, List.of());
    }
}
