package jmirage.launcher;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.LogLevel;
import jmirage.core.params.Option;

/** The boot parameters every unikernel takes (ARCHITECTURE.md, "Common boot parameters"). */
final class CommonParameters {

    /** Where the unikernel runs: the host's sockets, or its own TCP/IP stack on a TAP interface. */
    enum Target { host, tap }

    @Option(names = "--target", paramLabel = "TARGET",
            description = "Target to boot on: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Target target = Target.host;

    @Option(names = "--listen", paramLabel = "ADDR",
            description = "host target: IP address to bind. Default: ${DEFAULT-VALUE}.")
    String listen = "127.0.0.1";

    @Option(names = "--tap", paramLabel = "DEV",
            description = "tap target: the existing TAP interface to attach to (see --tap-create).")
    String tap;

    @Option(names = "--tap-create",
            description = "tap target: create the --tap interface if it does not exist (needs CAP_NET_ADMIN;"
                    + " it vanishes when the unikernel stops).")
    boolean tapCreate;

    @Option(names = "--ipv4", paramLabel = "A.B.C.D/N",
            description = "tap target: the unikernel's IPv4 address and prefix. Default: DHCP.")
    String ipv4;

    @Option(names = "--ipv4-gateway", paramLabel = "A.B.C.D",
            description = "tap target: the default gateway, with --ipv4. Default: none (only the local subnet).")
    String ipv4Gateway;

    @Option(names = "--ipv6", paramLabel = "ADDR/N|slaac|off",
            description = "tap target: the unikernel's IPv6 address and prefix, or slaac (addresses from router"
                    + " advertisements), or off. A link-local address from the MAC is always there but with off. Default: slaac.")
    String ipv6;

    @Option(names = "--ipv6-gateway", paramLabel = "ADDR",
            description = "tap target: the IPv6 default router, with --ipv6 ADDR/N; on-link (link-local or in the prefix)."
                    + " Default: none (only the prefix and the link).")
    String ipv6Gateway;

    @Option(names = "--net", paramLabel = "NAME=DEV[,ipv4=A.B.C.D/N][,gateway=A.B.C.D][,ipv6=ADDR/N|slaac|off][,ipv6-gateway=ADDR][,mac=MAC]",
            description = "tap target: the TAP interface of a network the unikernel claims by name (listed below), its IPv4"
                    + " address (default: DHCP) and gateway, its IPv6 address (default: slaac) and router, and its MAC."
                    + " Repeatable, once per name.")
    List<String> nets = new ArrayList<>();

    @Option(names = "--mac", paramLabel = "MAC",
            description = "tap target: the unikernel's MAC address. Default: random, locally administered.")
    String mac;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "Record every Ethernet frame in and out to FILE (libpcap format; not on the host target).")
    String pcap;

    @Option(names = "--kv", paramLabel = "SPEC",
            description = "Storage: mem | dir:PATH | git:PATH[#branch][?remote=URL[&key=SSH-KEY]] | block:FILE."
                    + " Must exist (see --kv-init). Default: dir:var/NAME under the project folder, created when missing.")
    String kv;

    @Option(names = "--kv-init",
            description = "Create the --kv and --store stores, empty, if they do not exist (dir and git). Default: a missing"
                    + " store is an error.")
    boolean kvInit;

    @Option(names = "--store", paramLabel = "NAME=SPEC",
            description = "A store the unikernel claims by name (listed below), beside --kv: SPEC as for --kv. Repeatable,"
                    + " once per name. Default: none.")
    List<String> stores = new ArrayList<>();

    @Option(names = "--block", paramLabel = "FILE",
            description = "A file to use as the Block device, for unikernels that take one.")
    String block;

    @Option(names = "--block-sector-size", paramLabel = "BYTES",
            description = "Sector size of the --block file. Default: ${DEFAULT-VALUE}.")
    int blockSectorSize = 512;

    @Option(names = "--metrics", paramLabel = "[ADDR:]PORT",
            description = "Serve GET /metrics (Prometheus text format) and GET /health on PORT; host target: bound to ADDR"
                    + " (default 127.0.0.1); tap target: at the unikernel's own address (give only PORT). Default: off.")
    String metrics;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "Least severe log level printed: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    LogLevel logLevel = LogLevel.INFO;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS",
            description = "On SIGTERM or SIGINT, how long work in flight may take to finish. Default: ${DEFAULT-VALUE}.")
    int stopTimeoutSeconds = 10;
}
