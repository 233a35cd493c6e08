package jmirage.dhcpd.core;

import jmirage.core.Bytes;
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

    @Override
    public String toString() {
        return value.hex();
    }
}
