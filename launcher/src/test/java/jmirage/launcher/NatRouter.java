package jmirage.launcher;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;
import jmirage.core.DeviceProvider;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.TokenBucket;
import jmirage.core.Unikernel;
import jmirage.core.net.Network;
import jmirage.core.net.NetworkClaim;
import jmirage.net.forward.Route;
import jmirage.net.forward.Router;
import jmirage.net.nat.NatConfig;
import jmirage.net.nat.NatTable;

/**
 * A NAT router for the tests of networks by role (decision 20): it claims {@code uplink} and
 * {@code private}, and everything from {@code private} leaves by {@code uplink}, translated to its
 * address, by the uplink's gateway; its counts are registered in the device's metrics.
 */
final class NatRouter implements Unikernel<NatRouter.Devices, NatRouter.Parameters> {

    record Devices(DeviceProvider provider, Network uplink, Network inside) {}

    static final class Parameters {}

    /** The running router, once started. */
    Router router;

    @Override
    public String name() {
        return "nat-router";
    }

    @Override
    public String description() {
        return "a NAT router for tests";
    }

    @Override
    public int heapMiB() {
        return 64;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider devices) {
        return new Devices(devices, devices.network(new NetworkClaim("uplink", "the way out, translated")),
                devices.network(new NetworkClaim("private", "the hosts behind the NAT")));
    }

    @Override
    public Promise<Result<Running, String>> start(Devices d, Parameters parameters) {
        List<Route> routes = d.uplink().gateway().map(g -> List.of(Route.defaultVia("uplink", g))).orElse(List.of());
        NatTable nat = new NatTable(NatConfig.of((Inet4Address) d.uplink().ipv4().address(), d.provider().random().nextLong()));
        return Promise.resolved(Router.start(List.of(Router.Attachment.of(d.uplink()), Router.Attachment.of(d.inside())), routes,
                Optional.of(new Router.Nat("uplink", nat)), TokenBucket.perSecond(50, 100), d.provider().clock(),
                d.provider().scheduler(), d.provider().log()).<Running>map(r -> {
                    router = r;
                    r.register(d.provider().metrics());
                    return () -> {
                        r.stop();
                        return Promise.done();
                    };
                }).mapError(e -> e.describe()));
    }
}
