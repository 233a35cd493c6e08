package jmirage.dhcpd;

import jmirage.core.DeviceProvider;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;

/** SCAFFOLD, to be replaced by the real unikernel: only gives the launcher a name to list. */
public final class DhcpServer implements Unikernel<DhcpServer.Devices, DhcpServer.Parameters> {

    public record Devices() {}

    public static final class Parameters {}

    @Override
    public String name() {
        return "dhcp-server";
    }

    @Override
    public String description() {
        return "DHCPv4 server (RFC 2131/2132), leases in the Kv";
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider devices) {
        return new Devices();
    }

    @Override
    public Promise<Result<Running, String>> start(Devices devices, Parameters parameters) {
        return Promise.resolved(Result.err("dhcp-server is being built"));
    }
}
