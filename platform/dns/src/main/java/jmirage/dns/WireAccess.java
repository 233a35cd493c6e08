package jmirage.dns;

import jmirage.core.Bytes;

/** Wire pieces other packages of this library need (DNSSEC signs over them). */
public final class WireAccess {
    private WireAccess() {}

    /** The rdata in wire form; canonical (RFC 4034 6.2) if asked. */
    public static Bytes rdata(Rdata rdata, boolean canonical) {
        return RdataCodec.toWire(rdata, canonical);
    }

    /** RRSIG rdata up to the signature, signer name in canonical form (RFC 4034 3.1.8.1). */
    public static Bytes rrsigHeader(Rdata.Rrsig sig) {
        WireWriter w = new WireWriter(64);
        RdataCodec.writeRrsigHeader(w, sig, true);
        return Bytes.adopt(w.toArray());
    }
}
