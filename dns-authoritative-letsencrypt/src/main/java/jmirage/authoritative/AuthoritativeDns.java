package jmirage.authoritative;

import jmirage.core.DeviceProvider;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;

/** SCAFFOLD, to be replaced by the real unikernel: only gives the launcher a name to list. */
public final class AuthoritativeDns implements Unikernel<AuthoritativeDns.Devices, AuthoritativeDns.Parameters> {

    public record Devices() {}

    public static final class Parameters {}

    @Override
    public String name() {
        return "dns-authoritative";
    }

    @Override
    public String description() {
        return "authoritative DNS server: zones in git, dynamic update, AXFR/IXFR, NOTIFY";
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
        return Promise.resolved(Result.err("dns-authoritative is being built"));
    }
}
