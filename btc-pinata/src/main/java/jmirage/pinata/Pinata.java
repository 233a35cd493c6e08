package jmirage.pinata;

import jmirage.core.DeviceProvider;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;

/** SCAFFOLD, to be replaced by the real unikernel: only gives the launcher a name to list. */
public final class Pinata implements Unikernel<Pinata.Devices, Pinata.Parameters> {

    public record Devices() {}

    public static final class Parameters {}

    @Override
    public String name() {
        return "btc-pinata";
    }

    @Override
    public String description() {
        return "the Bitcoin Pinata: a secret behind TLS client certificates";
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
        return Promise.resolved(Result.err("btc-pinata is being built"));
    }
}
