package jmirage.qubes.firewall;

import java.net.Inet4Address;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.NetError;
import jmirage.core.net.PacketPort;

/**
 * The clients' link as the router sees it (decision 25): a datagram is passed on only when its frame's
 * source MAC and its source address are a bound pair ({@link Firewall#link}; spoofs counted), and a
 * datagram for a client is framed to its bound MAC, never through ARP. ARP on the link answers bound
 * pairs only ({@link PacketPort#restrictArp}). The feed may change at any time: each call reads the
 * current {@link Firewall}.
 */
final class ClientsPort implements PacketPort {

    private final PacketPort link;
    private final Supplier<Firewall> firewall;
    private final ClientStatistics statistics;

    ClientsPort(PacketPort link, Supplier<Firewall> firewall, ClientStatistics statistics) {
        this.link = link;
        this.firewall = firewall;
        this.statistics = statistics;
        link.restrictArp((mac, address) -> firewall.get().bound(mac, address));
    }

    @Override
    public void receive(Receiver receiver) {
        link.receiveWithSource((datagram, linkBroadcast, source) -> {
            if (source.isEmpty()) { // a link without MACs cannot bind: nothing from it is a client's
                return;
            }
            Firewall.Verdict verdict = firewall.get().link(source.get(), datagram);
            if (verdict instanceof Firewall.Verdict.Accept) {
                receiver.datagram(datagram, linkBroadcast);
            } else {
                statistics.count(verdict);
            }
        });
    }

    @Override
    public void deliverLocally(Bytes datagram) {
        link.deliverLocally(datagram);
    }

    /** To the bound MAC of the client at {@code nextHop} (on the clients' link the next hop is the client). */
    @Override
    public Result<Unit, NetError> sendDatagram(Inet4Address nextHop, Bytes datagram) {
        Client client = firewall.get().feed().clients().get(nextHop);
        if (client == null) {
            return Result.err(new NetError.Unreachable(new Endpoint(nextHop, 0)));
        }
        return link.sendDatagramTo(client.mac(), datagram);
    }

    @Override
    public int mtu() {
        return link.mtu();
    }
}
