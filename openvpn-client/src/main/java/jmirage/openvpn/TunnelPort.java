package jmirage.openvpn;

import java.net.Inet4Address;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.NetError;
import jmirage.core.net.PacketPort;
import jmirage.openvpn.session.Session;

/**
 * The tunnel as one more interface of the router (decision 20's {@link PacketPort}): datagrams the
 * router sends into it are encrypted by the session of the moment, and the session's decrypted
 * datagrams go to the router. A tun device has no link layer, so the next hop does not matter and
 * the tunnel's own address receives only what the NAT translates back and the DNS relay's answers.
 */
final class TunnelPort implements PacketPort {

    /** tun-mtu 1500 less room for the outer IPv4, UDP or TCP, and the data channel's opcode, peer id, packet id and tag. */
    static final int MTU = 1500 - 20 - 20 - 4 - 4 - 16;

    private Receiver receiver;
    private java.util.function.Predicate<Bytes> local = datagram -> false;
    private Session session;
    private long dropped;

    void attach(Session session) {
        this.session = session;
    }

    /** A datagram out of the tunnel, for the router. */
    void fromTunnel(Bytes datagram) {
        if (receiver != null) {
            receiver.datagram(datagram, false);
        }
    }

    /** Who takes the datagrams for the tunnel's own address (the DNS relay's answers); the rest is dropped. */
    void onLocal(java.util.function.Predicate<Bytes> handler) {
        this.local = handler;
    }

    long dropped() {
        return dropped;
    }

    @Override
    public void receive(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public void deliverLocally(Bytes datagram) {
        if (!local.test(datagram)) {
            dropped++; // no stack of the unikernel's own listens on the tunnel
        }
    }

    @Override
    public Result<Unit, NetError> sendDatagram(Inet4Address nextHop, Bytes datagram) {
        if (session == null || !session.sendIp(datagram)) {
            dropped++;
        }
        return Result.ok();
    }

    @Override
    public int mtu() {
        return MTU;
    }
}
