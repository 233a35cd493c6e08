package jmirage.authoritative.store;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.params.Option;

/**
 * The boot parameters of zone management, for the unikernel's Parameters to include with
 * {@code @Mixin}.
 */
public final class ZoneOptions {

    @Option(names = "--secondary", paramLabel = "ZONE@IP[:PORT][#KEY]",
            description = "Be secondary for ZONE, transferring it from the primary at IP (port 53 unless given), "
                    + "signed with the TSIG key KEY from _keys if given. Repeatable.")
    public List<String> secondaries = new ArrayList<>();

    @Option(names = "--notify", paramLabel = "IP[:PORT][#KEY]",
            description = "Send NOTIFY to this secondary after every change of a zone (signed with KEY if given). "
                    + "Repeatable.")
    public List<String> notify = new ArrayList<>();

    @Option(names = "--notify-ns",
            description = "Also notify the zone's NS hosts (but the SOA MNAME) whose addresses the zone holds "
                    + "(glue or in-zone names), on port 53: the notify set of RFC 1996 3.3.")
    public boolean notifyNs;

    @Option(names = "--allow-transfer", paramLabel = "PREFIX",
            description = "Allow AXFR/IXFR without a key from these addresses (192.0.2.0/24, 2001:db8::/32, or one "
                    + "address). Keys named NAME._transfer.ZONE or NAME._update.ZONE always may. Repeatable.")
    public List<String> allowTransfer = new ArrayList<>();

    @Option(names = "--zone-poll", paramLabel = "SECONDS",
            description = "Look for changed zone files this often (0: only on a signed NOTIFY). Default: ${DEFAULT-VALUE}.")
    public int pollSeconds = 5;
}
