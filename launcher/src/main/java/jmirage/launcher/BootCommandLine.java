package jmirage.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.StoreClaim;
import jmirage.core.net.NetworkClaim;
import jmirage.core.params.HelpText;
import jmirage.core.params.OptionSpec;
import jmirage.core.params.OptionValue;
import jmirage.core.params.ParameterParser;
import jmirage.core.params.Parsed.Assigned;
import jmirage.core.params.Parsed.HelpRequested;
import jmirage.core.params.Parsed.VersionRequested;
import jmirage.core.params.ValueType;

/**
 * The boot parameters of {@code ./unikernel run NAME} and {@code ./unikernel check NAME}: the common ones ({@link CommonParameters})
 * and the unikernel's own, parsed into values, or the help, or the version, or the one line that
 * says what is wrong with them (a usage error: exit status 2).
 */
final class BootCommandLine {

    private BootCommandLine() {}

    /** What the command line asks for. */
    sealed interface Parsed<P> {
        record Boot<P>(CommonParameters common, P parameters) implements Parsed<P> {}

        record Help<P>(String text) implements Parsed<P> {}

        record Version<P>(String text) implements Parsed<P> {}

        /** A usage error: one line naming the parameter and the reason. */
        record UsageError<P>(String reason) implements Parsed<P> {}
    }

    /** The common parameters that apply only to unikernels claiming a device of that kind. */
    private static final List<String> KV_PARAMETERS = List.of("--kv", "--kv-init");
    /** Shown only to a unikernel that claims a named store, with a line per store it claims. */
    private static final String STORE_PARAMETER = "--store";
    private static final List<String> BLOCK_PARAMETERS = List.of("--block", "--block-sector-size");
    /** The parameters of the one interface of a unikernel that claims a Stack (or Net). */
    private static final List<String> SINGLE_NETWORK_PARAMETERS = List.of("--listen", "--tap", "--ipv4", "--ipv4-gateway",
            "--ipv6", "--ipv6-gateway", "--mac");
    /** Without any network the target changes nothing for the unikernel, so --target goes too. */
    private static final List<String> LINK_PARAMETERS = List.of("--target", "--tap-create", "--pcap");
    /** Shown only to a unikernel that claims networks by role, with a line per network. */
    private static final String NET_PARAMETER = "--net";

    /** The highest TCP or UDP port (RFC 793 section 3.1, RFC 768: 16 bits). */
    private static final int HIGHEST_PORT = 65_535;

    /** Parses the boot parameters of {@code ./unikernel COMMAND NAME} ({@code run} or {@code check}). */
    static <D, P> Parsed<P> parse(String command, Unikernel<D, P> unikernel, List<String> args) {
        CommonParameters common = new CommonParameters();
        P parameters = unikernel.parameters();
        // instanceof, not a pattern switch: this runs at every boot (decision 23)
        jmirage.core.params.Parsed parsed = ParameterParser.parse(List.of(common, parameters), args);
        if (parsed instanceof Assigned) {
            return checked(unikernel, common, parameters);
        } else if (parsed instanceof HelpRequested) {
            return new Parsed.Help<>(help(command, unikernel));
        } else if (parsed instanceof VersionRequested) {
            return new Parsed.Version<>("jmirage " + unikernel.name() + " " + Version.current());
        }
        return new Parsed.UsageError<>(((jmirage.core.params.Parsed.UsageError) parsed).reason());
    }

    /** Parsed parameters, or the usage error of a rule the parser does not know: ports, the {@code --kv} and {@code --store} specs. */
    private static <P> Parsed<P> checked(Unikernel<?, P> unikernel, CommonParameters common, P parameters) {
        for (OptionValue option : ParameterParser.options(parameters)) {
            if (isPort(option.spec()) && option.value() instanceof Integer port && (port < 0 || port > HIGHEST_PORT)) {
                return new Parsed.UsageError<>(option.spec().longestName() + ": " + port + " is not a port (0 to "
                        + HIGHEST_PORT + ")");
            }
        }
        if (common.kv != null && KvSpec.parse(common.kv) instanceof Result.Err<KvSpec, KvSpecError>(var e)) {
            return new Parsed.UsageError<>("--kv " + common.kv + ": " + e.describe());
        }
        if (!common.stores.isEmpty()) {
            Result<Map<String, KvSpec>, NamedStoreError> stores = NamedStores.parse(common.stores);
            if (stores instanceof Result.Err<Map<String, KvSpec>, NamedStoreError>(NamedStoreError e)) {
                return new Parsed.UsageError<>(e.describe());
            }
            Optional<KvSpec> main = StoreOpening.locate(unikernel.name(), Optional.ofNullable(common.kv), StoreOpening.projectFolder())
                    .map(located -> Optional.of(located.store())).orElse(Optional.empty());
            Optional<NamedStoreError> mismatch = NamedStores.mismatch(stores.orElseThrow(), unikernel.name(),
                    DeviceProbe.claimedBy(unikernel).stores(), main);
            if (mismatch.isPresent()) {
                return new Parsed.UsageError<>(mismatch.get().describe());
            }
        }
        if (!common.nets.isEmpty()) {
            for (String entry : common.nets) {
                if (TapTarget.parseNet(entry) instanceof Result.Err<?, TapParameterError>(TapParameterError e)) {
                    return new Parsed.UsageError<>(e.describe());
                }
            }
            Optional<TapParameterError> mismatch = TapTarget.mismatch(common.nets, unikernel.name(),
                    DeviceProbe.claimedBy(unikernel).networks());
            if (mismatch.isPresent()) {
                return new Parsed.UsageError<>(mismatch.get().describe());
            }
        }
        return new Parsed.Boot<>(common, parameters);
    }

    /** The help of {@code ./unikernel COMMAND NAME --help}, with the defaults of fresh parameters. */
    private static String help(String command, Unikernel<?, ?> unikernel) {
        List<OptionValue> common = new ArrayList<>(List.of(new OptionValue(ParameterParser.HELP, false),
                new OptionValue(ParameterParser.VERSION, false)));
        DeviceProbe.Claims claims = DeviceProbe.claimedBy(unikernel);
        List<StoreClaim> stores = claims.stores().orElse(List.of());
        List<NetworkClaim> networks = claims.networks().orElse(List.of());
        common.addAll(applicable(ParameterParser.options(new CommonParameters()), claims.kinds(), !stores.isEmpty(),
                claims.networks().map(n -> !n.isEmpty()).orElse(true)));
        return HelpText.render("Usage: unikernel " + command + " " + unikernel.name() + " [OPTIONS]",
                unikernel.description(),
                List.of(new HelpText.Group("Common parameters:", common),
                        new HelpText.Group("Stores " + unikernel.name() + " claims (--store NAME=SPEC):", storeLines(stores)),
                        new HelpText.Group("Networks " + unikernel.name() + " claims (--target tap --net NAME=DEV,...):",
                                networkLines(networks)),
                        new HelpText.Group("Parameters of " + unikernel.name() + ":", ParameterParser.options(unikernel.parameters()))));
    }

    /** One help entry per named store claimed (decision 7: the help comes from the claim): its name, whether required, why. */
    private static List<OptionValue> storeLines(List<StoreClaim> stores) {
        return stores.stream().map(s -> new OptionValue(new OptionSpec(List.of(STORE_PARAMETER), s.name() + "=SPEC",
                new ValueType.Text(), (s.required() ? "Required. " : "Optional. ") + s.why()), null)).toList();
    }

    /** One help entry per network claimed by role (decision 20): its name and what the unikernel does on it. */
    private static List<OptionValue> networkLines(List<NetworkClaim> networks) {
        return networks.stream().map(n -> new OptionValue(new OptionSpec(List.of(NET_PARAMETER), n.name() + "=DEV,...",
                new ValueType.Text(), "Required. " + n.why()), null)).toList();
    }

    /**
     * The naming rule for ports: a unikernel's integer parameter named {@code --port} or
     * {@code --SOMETHING-port} is a TCP or UDP port, checked here so that a port out of range is a
     * usage error like any other bad value.
     */
    static boolean isPort(OptionSpec option) {
        String name = option.longestName();
        return option.type() instanceof ValueType.IntNumber && (name.equals("--port") || name.endsWith("-port"));
    }

    /** The common parameters without those of devices the unikernel does not claim. */
    private static List<OptionValue> applicable(List<OptionValue> common, Set<DeviceProbe.Kind> claimed, boolean claimsStores,
                                                boolean claimsNetworks) {
        List<String> hidden = new ArrayList<>();
        if (!claimsStores) {
            hidden.add(STORE_PARAMETER);
        }
        if (!claimsNetworks) {
            hidden.add(NET_PARAMETER);
        }
        if (!claimed.contains(DeviceProbe.Kind.KV)) {
            hidden.addAll(KV_PARAMETERS);
        }
        if (!claimed.contains(DeviceProbe.Kind.BLOCK)) {
            hidden.addAll(BLOCK_PARAMETERS);
        }
        if (!claimed.contains(DeviceProbe.Kind.NETWORK)) {
            hidden.addAll(SINGLE_NETWORK_PARAMETERS);
            if (!claimsNetworks) {
                hidden.addAll(LINK_PARAMETERS);
            }
        }
        return common.stream().filter(o -> !hidden.contains(o.spec().longestName())).toList();
    }
}
