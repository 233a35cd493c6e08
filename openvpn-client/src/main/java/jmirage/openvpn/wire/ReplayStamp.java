package jmirage.openvpn.wire;

/**
 * The long-form packet id that tls-auth and tls-crypt put on every control packet for replay
 * protection (packet_id.h, packet_id_write with long_form): a 4-byte counter and the sender's
 * 4-byte time in seconds since the epoch.
 */
public record ReplayStamp(long packetId, long time) {

    public static final int SIZE = 8;

    public ReplayStamp {
        PacketIds.check(packetId);
        PacketIds.check(time);
    }

    void write(byte[] to, int offset) {
        PacketIds.write(packetId, to, offset);
        PacketIds.write(time, to, offset + 4);
    }

    static ReplayStamp read(byte[] from, int offset) {
        return new ReplayStamp(PacketIds.read(from, offset), PacketIds.read(from, offset + 4));
    }
}
