package jmirage.openvpn.wire;

import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Early negotiation (ssl_pkt.h, ssl.c parse_early_negotiation_tlvs): a tls-crypt-v2 client marks
 * its reset's replay packet id with {@link #START} to say it understands it, and the server's reset
 * then carries TLVs (16-bit type, 16-bit length, value). The one defined flag asks the client to
 * repeat its wrapped key in a P_CONTROL_WKC_V1, because the server keeps no state until then.
 */
public record EarlyNegotiation(boolean resendWrappedKey) {

    /** ssl_pkt.h EARLY_NEG_START: the first replay packet id of a client that supports early negotiation. */
    public static final long START = 0x0f00_0000L;
    static final int TYPE_FLAGS = 0x0001;
    static final int FLAG_RESEND_WKC = 0x0001;

    /** The TLVs of a server reset's payload; unknown types are skipped, as OpenVPN does. */
    public static Result<EarlyNegotiation, WireError> parse(Bytes payload) {
        boolean resend = false;
        int at = 0;
        while (at < payload.size()) {
            if (payload.size() - at < 4) {
                return Result.err(new WireError("early negotiation TLV truncated"));
            }
            int type = payload.getUnsigned(at) << 8 | payload.getUnsigned(at + 1);
            int length = payload.getUnsigned(at + 2) << 8 | payload.getUnsigned(at + 3);
            at += 4;
            if (payload.size() - at < length) {
                return Result.err(new WireError("early negotiation TLV of " + length + " bytes truncated"));
            }
            if (type == TYPE_FLAGS) {
                if (length != 2) {
                    return Result.err(new WireError("early negotiation flags of " + length + " bytes, not 2"));
                }
                int flags = payload.getUnsigned(at) << 8 | payload.getUnsigned(at + 1);
                resend |= (flags & FLAG_RESEND_WKC) != 0;
            }
            at += length;
        }
        return Result.ok(new EarlyNegotiation(resend));
    }

    public Bytes encode() {
        return resendWrappedKey ? Bytes.of((byte) 0, (byte) TYPE_FLAGS, (byte) 0, (byte) 2, (byte) 0, (byte) FLAG_RESEND_WKC) : Bytes.EMPTY;
    }
}
