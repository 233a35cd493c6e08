package jmirage.openvpn.keys;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.openvpn.config.ConfigLexer;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.CompressionFraming;

/**
 * The server's {@code PUSH_REPLY,option,option,...} (push.c; options.c for each option), read into
 * typed values. Each option is a configuration line (split as parse_line splits one); options this
 * client does not act on are kept by name for one log line; a pushed cipher that is not AEAD, or
 * compression other than a framing stub, refuses the push. {@code push-continuation 2} says more
 * replies follow, {@code 1} that this is the last (push.c process_incoming_push_msg).
 */
public record PushReply(
        Optional<Ifconfig> ifconfig,
        Optional<String> topology,
        List<Route> routes,
        Optional<Inet4Address> routeGateway,
        Optional<List<String>> redirectGateway,
        List<Inet4Address> dns,
        List<String> domains,
        OptionalInt peerId,
        Optional<Duration> ping,
        Optional<Duration> pingRestart,
        Optional<Duration> renegotiation,
        Optional<AeadCipher> cipher,
        Optional<CompressionFraming> compression,
        boolean tlsEkm,
        boolean moreToCome,
        List<String> ignored) {

    public static final String PREFIX = "PUSH_REPLY";

    public PushReply {
        routes = List.copyOf(routes);
        dns = List.copyOf(dns);
        domains = List.copyOf(domains);
        redirectGateway = redirectGateway.map(List::copyOf);
        ignored = List.copyOf(ignored);
    }

    /** {@code ifconfig LOCAL NETMASK} (topology subnet) or {@code ifconfig LOCAL REMOTE} (net30, p2p). */
    public record Ifconfig(Inet4Address local, Inet4Address netmaskOrRemote) {}

    /** {@code route NETWORK [NETMASK] [GATEWAY] [METRIC]}; the gateway may be {@code vpn_gateway}, so it stays text. */
    public record Route(Inet4Address network, Inet4Address netmask, Optional<String> gateway) {}

    /** Why a push is refused: the option and the reason. */
    public record PushError(String reason) {
        public String describe() {
            return reason;
        }
    }

    public static Result<PushReply, PushError> parse(String message) {
        String text = message.endsWith("\0") ? message.substring(0, message.length() - 1) : message;
        if (!text.startsWith(PREFIX)) {
            return Result.err(new PushError("not a PUSH_REPLY: " + abbreviate(text)));
        }
        Builder b = new Builder();
        String rest = text.substring(PREFIX.length());
        for (String option : rest.split(",")) {
            if (option.isBlank()) {
                continue;
            }
            Result<List<String>, String> split = ConfigLexer.splitLine(option);
            if (split instanceof Result.Err<List<String>, String>(String reason)) {
                return Result.err(new PushError("'" + abbreviate(option) + "': " + reason));
            }
            List<String> words = split.orElseThrow();
            if (words.isEmpty()) {
                continue;
            }
            Optional<PushError> error = b.option(words);
            if (error.isPresent()) {
                return Result.err(error.get());
            }
        }
        return Result.ok(b.build());
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private static final class Builder {
        Optional<Ifconfig> ifconfig = Optional.empty();
        Optional<String> topology = Optional.empty();
        final List<Route> routes = new ArrayList<>();
        Optional<Inet4Address> routeGateway = Optional.empty();
        Optional<List<String>> redirectGateway = Optional.empty();
        final List<Inet4Address> dns = new ArrayList<>();
        final List<String> domains = new ArrayList<>();
        OptionalInt peerId = OptionalInt.empty();
        Optional<Duration> ping = Optional.empty();
        Optional<Duration> pingRestart = Optional.empty();
        Optional<Duration> reneg = Optional.empty();
        Optional<AeadCipher> cipher = Optional.empty();
        Optional<CompressionFraming> compression = Optional.empty();
        boolean tlsEkm;
        boolean more;
        final List<String> ignored = new ArrayList<>();

        PushReply build() {
            return new PushReply(ifconfig, topology, routes, routeGateway, redirectGateway, dns, domains, peerId, ping, pingRestart,
                    reneg, cipher, compression, tlsEkm, more, ignored);
        }

        Optional<PushError> option(List<String> w) {
            String name = w.getFirst();
            int n = w.size() - 1;
            try {
                switch (name) {
                    case "ifconfig" -> {
                        need(w, 2, 2);
                        ifconfig = Optional.of(new Ifconfig(ipv4(w.get(1)), ipv4(w.get(2))));
                    }
                    case "topology" -> {
                        need(w, 1, 1);
                        topology = Optional.of(w.get(1));
                    }
                    case "route" -> {
                        need(w, 1, 4);
                        routes.add(new Route(ipv4(w.get(1)), n >= 2 ? ipv4(w.get(2)) : ipv4("255.255.255.255"),
                                n >= 3 ? Optional.of(w.get(3)) : Optional.empty()));
                    }
                    case "route-gateway" -> {
                        need(w, 1, 1);
                        if (!w.get(1).equals("dhcp")) {
                            routeGateway = Optional.of(ipv4(w.get(1)));
                        }
                    }
                    case "redirect-gateway" -> redirectGateway = Optional.of(w.subList(1, w.size()));
                    case "dhcp-option" -> {
                        need(w, 1, 2);
                        switch (w.get(1)) {
                            case "DNS" -> {
                                need(w, 2, 2);
                                dns.add(ipv4(w.get(2)));
                            }
                            case "DOMAIN", "DOMAIN-SEARCH" -> {
                                need(w, 2, 2);
                                domains.add(w.get(2));
                            }
                            default -> ignored.add(name + " " + w.get(1));
                        }
                    }
                    case "peer-id" -> {
                        need(w, 1, 1);
                        peerId = OptionalInt.of(number(w.get(1), 0, 0xfffffe));
                    }
                    case "ping" -> {
                        need(w, 1, 1);
                        ping = Optional.of(Duration.ofSeconds(number(w.get(1), 0, Integer.MAX_VALUE)));
                    }
                    case "ping-restart" -> {
                        need(w, 1, 1);
                        pingRestart = Optional.of(Duration.ofSeconds(number(w.get(1), 0, Integer.MAX_VALUE)));
                    }
                    case "reneg-sec" -> {
                        need(w, 1, 2);
                        reneg = Optional.of(Duration.ofSeconds(number(w.get(1), 0, Integer.MAX_VALUE)));
                    }
                    case "cipher" -> {
                        need(w, 1, 1);
                        cipher = Optional.of(AeadCipher.named(w.get(1)).orElseThrow(
                                () -> new Refused("the server pushes cipher " + w.get(1) + ", which is not an AEAD cipher this client speaks")));
                    }
                    case "comp-lzo" -> {
                        if (n != 1 || !w.get(1).equals("no")) {
                            throw new Refused("the server asks for compression, which this client refuses (VORACLE)");
                        }
                        compression = Optional.of(CompressionFraming.LZO_NO);
                    }
                    case "compress" -> compression = Optional.of(switch (n == 0 ? "stub" : w.get(1)) {
                        case "stub" -> CompressionFraming.STUB;
                        case "stub-v2" -> CompressionFraming.STUB_V2;
                        default -> throw new Refused("the server asks for compression, which this client refuses (VORACLE)");
                    });
                    case "key-derivation" -> {
                        need(w, 1, 1);
                        if (!w.get(1).equals("tls-ekm")) {
                            throw new Refused("unknown key-derivation " + w.get(1));
                        }
                        tlsEkm = true;
                    }
                    case "protocol-flags" -> {
                        for (String flag : w.subList(1, w.size())) {
                            if (flag.equals("tls-ekm")) {
                                tlsEkm = true;
                            } else {
                                ignored.add(name + " " + flag);
                            }
                        }
                    }
                    case "push-continuation" -> {
                        need(w, 1, 1);
                        more = number(w.get(1), 1, 2) == 2;
                    }
                    default -> ignored.add(name);
                }
                return Optional.empty();
            } catch (Refused refused) {
                return Optional.of(new PushError("'" + abbreviate(String.join(" ", w)) + "': " + refused.getMessage()));
            }
        }

        private static void need(List<String> w, int min, int max) {
            int n = w.size() - 1;
            if (n < min || n > max) {
                throw new Refused("takes " + (min == max ? min : min + " to " + max) + " parameters, not " + n);
            }
        }

        private static int number(String text, int min, int max) {
            try {
                int v = Integer.parseInt(text);
                if (v < min || v > max) {
                    throw new Refused(v + " is not between " + min + " and " + max);
                }
                return v;
            } catch (NumberFormatException e) {
                throw new Refused("'" + text + "' is not a number");
            }
        }

        private static Inet4Address ipv4(String text) {
            return IpAddresses.parseIpv4(text).orElseThrow(e -> new Refused(e.describe()));
        }
    }

    /** A refused option inside the builder; never leaves {@link #parse}. */
    private static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
