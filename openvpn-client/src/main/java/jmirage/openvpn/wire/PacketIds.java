package jmirage.openvpn.wire;

/** Packet and message ids are unsigned 32-bit numbers on the wire (packet_id.h packet_id_type), held in a long. */
public final class PacketIds {

    public static final long MAX = 0xffff_ffffL;

    private PacketIds() {}

    public static long check(long id) {
        if (id < 0 || id > MAX) {
            throw new IllegalArgumentException("packet id " + id + " is not an unsigned 32-bit number");
        }
        return id;
    }

    static long read(byte[] b, int offset) {
        return (b[offset] & 0xffL) << 24 | (b[offset + 1] & 0xffL) << 16 | (b[offset + 2] & 0xffL) << 8 | (b[offset + 3] & 0xffL);
    }

    static void write(long id, byte[] b, int offset) {
        b[offset] = (byte) (id >>> 24);
        b[offset + 1] = (byte) (id >>> 16);
        b[offset + 2] = (byte) (id >>> 8);
        b[offset + 3] = (byte) id;
    }
}
