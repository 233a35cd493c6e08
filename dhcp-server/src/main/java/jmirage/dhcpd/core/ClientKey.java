package jmirage.dhcpd.core;

import jmirage.core.Bytes;
import jmirage.core.Fnv1a;
import jmirage.core.net.MacAddress;
import jmirage.net.dhcp.DhcpMessage;

/**
 * Who a lease belongs to (RFC 2131 4.2): the client identifier (option 61) when the client sends
 * one, else the hardware type and address, written as option 61 would carry them (type 1, MAC).
 */
public record ClientKey(Bytes value) {

    public static ClientKey of(DhcpMessage message) {
        Bytes id = message.options().get(DhcpMessage.OPT_CLIENT_ID);
        return id != null && !id.isEmpty() ? new ClientKey(id) : ofMac(message.chaddr());
    }

    public static ClientKey ofMac(MacAddress mac) {
        return new ClientKey(Bytes.of((byte) 1).concat(Bytes.adopt(mac.toBytes())));
    }

    /**
     * {@link Fnv1a} over the bytes. The record's own hash would be {@link Bytes#hashCode}, a polynomial in
     * 31: keys of MACs that differ in their last two bytes collide by the thousand ({@code 31 * b4 + b5}
     * takes 8,161 values for 65,536 MACs), and the leases' index by client degenerated into tree bins
     * (a profile at 3,000 leases/s found {@code LeaseDb.of} in them).
     */
    @Override
    public int hashCode() {
        return value.fnv1a(0, Fnv1a.BASIS);
    }

    @Override
    public String toString() {
        return value.hex();
    }
}
