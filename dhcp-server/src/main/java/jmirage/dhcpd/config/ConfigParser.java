package jmirage.dhcpd.config;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.config.DhcpConfig.Host;
import jmirage.dhcpd.config.DhcpConfig.Range;
import jmirage.dhcpd.config.DhcpConfig.Subnet;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpPrefix;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.net.wire.Wire;

/**
 * Reads the ISC dhcpd.conf subset this server understands (see the README): {@code subnet ... netmask
 * ... { }}, {@code range}, {@code host { hardware ethernet; fixed-address; option
 * dhcp-client-identifier; }}, {@code option NAME VALUE;}, {@code default-lease-time}, {@code
 * max-lease-time}, the harmless {@code authoritative;}, and the dynamic DNS statements
 * ({@link DdnsStatements}). Anything
 * else is an error naming its line: a server that silently ignores half its configuration hands
 * out the wrong gateway.
 */
public final class ConfigParser {

    static final Duration DEFAULT_LEASE = Duration.ofHours(12);
    static final Duration MAX_LEASE = Duration.ofDays(1);

    private final Optional<String> file;
    private final List<Token> tokens;
    private int at;
    private final List<SeenHost> seenHosts = new ArrayList<>();
    private final DdnsStatements ddns = new DdnsStatements();

    private ConfigParser(Optional<String> file, List<Token> tokens) {
        this.file = file;
        this.tokens = tokens;
    }

    /** Parses the text of a dhcpd.conf; the error says the line and what was expected. */
    public static Result<DhcpConfig, ConfigError> parse(String text) {
        return parse(Optional.empty(), text);
    }

    /** Parses the text of a dhcpd.conf read from {@code file} (a Kv key), which the errors name. */
    public static Result<DhcpConfig, ConfigError> parse(Optional<String> file, String text) {
        return tokenize(file, text).flatMap(tokens -> {
            try {
                return Result.ok(new ConfigParser(file, tokens).file());
            } catch (Invalid e) {
                return Result.err(e.error);
            }
        });
    }

    private record Token(String text, boolean quoted, int line) {
        boolean is(String s) {
            return !quoted && text.equals(s);
        }
    }

    /**
     * An error in the file, carried out of the recursive descent to {@link #parse}, where it becomes
     * the error value; it never leaves this class.
     */
    private static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ConfigError error;

        Invalid(ConfigError error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    /** Scope being read: the global one, a subnet or a host. */
    private static final class Scope {
        final Map<Integer, Bytes> options = new LinkedHashMap<>();
        /** The line each option was set on. */
        final Map<Integer, Integer> optionLines = new LinkedHashMap<>();
        Duration defaultLease;
        Duration maxLease;
    }

    private DhcpConfig file() {
        Scope global = new Scope();
        List<SubnetDraft> subnets = new ArrayList<>();
        List<Host> hosts = new ArrayList<>();
        while (at < tokens.size()) {
            Token t = next();
            if (t.is("subnet")) {
                subnets.add(subnet(t, hosts));
            } else if (t.is("host")) {
                hosts.add(host(t));
            } else if (!ddns.statement(t)) {
                common(t, global, "the top level");
            }
        }
        Optional<Ddns> dynamicDns = ddns.build();
        List<Subnet> built = new ArrayList<>();
        for (SubnetDraft d : subnets) {
            Map<Integer, Bytes> options = new LinkedHashMap<>(global.options);
            options.putAll(d.scope.options);
            Duration lease = first(d.scope.defaultLease, global.defaultLease, DEFAULT_LEASE);
            Duration max = first(d.scope.maxLease, global.maxLease, MAX_LEASE);
            if (lease.compareTo(max) > 0) {
                max = lease;
            }
            Subnet subnet = new Subnet(d.network, d.ranges, options, lease, max);
            Integer routesLine = d.scope.optionLines.containsKey(CLASSLESS_ROUTES) ? d.scope.optionLines.get(CLASSLESS_ROUTES)
                    : global.optionLines.get(CLASSLESS_ROUTES);
            if (routesLine != null && options.containsKey(DhcpMessage.OPT_ROUTER)
                    && !hasDefaultRoute(options.get(CLASSLESS_ROUTES))) {
                // RFC 3442: a client that uses option 121 MUST ignore option 3; without 0.0.0.0/0 in
                // it, every modern client would lose its default route.
                throw new Invalid(new ConfigError.NoDefaultRoute(onLine(routesLine), d.network));
            }
            built.add(subnet);
        }
        for (int i = 0; i < built.size(); i++) {
            for (int j = i + 1; j < built.size(); j++) {
                if (built.get(i).network().contains(built.get(j).network().address())
                        || built.get(j).network().contains(built.get(i).network().address())) {
                    throw new Invalid(new ConfigError.SubnetsOverlap(onLine(subnets.get(j).line()), built.get(j).network(),
                            built.get(i).network(), subnets.get(i).line()));
                }
            }
        }
        for (SeenHost seen : seenHosts) {
            Host h = seen.host();
            ConfigError.Where where = onLine(seen.line());
            Subnet s = built.stream().filter(b -> b.contains(h.fixedAddress())).findFirst()
                    .orElseThrow(() -> new Invalid(new ConfigError.FixedAddressInNoSubnet(where, h.name(), h.fixedAddress())));
            int a = Wire.ipv4ToInt(h.fixedAddress());
            int network = Wire.ipv4ToInt(s.network().address()) & Wire.ipv4Mask(s.network().length());
            if (s.network().length() < 31 && (a == network || a == (network | ~Wire.ipv4Mask(s.network().length())))) {
                throw new Invalid(new ConfigError.FixedAddressIsNetworkOrBroadcast(where, h.name(), h.fixedAddress(),
                        s.network()));
            }
            for (int code : new int[] {DhcpMessage.OPT_ROUTER, DhcpMessage.OPT_DNS}) {
                Bytes list = s.options().get(code);
                for (int i = 0; list != null && i + 4 <= list.size(); i += 4) {
                    if (Wire.ipv4(list, i).equals(h.fixedAddress())) {
                        throw new Invalid(new ConfigError.FixedAddressIsRouterOrResolver(where, h.name(), h.fixedAddress(),
                                s.network()));
                    }
                }
            }
        }
        return new DhcpConfig(built, hosts, dynamicDns);
    }

    private static final int CLASSLESS_ROUTES = 121;

    /** Whether an encoded option 121 (RFC 3442: width, significant octets, router; per route) has a route of width 0. */
    private static boolean hasDefaultRoute(Bytes routes) {
        int i = 0;
        while (i < routes.size()) {
            int width = routes.getUnsigned(i);
            if (width == 0) {
                return true;
            }
            i += 1 + (width + 7) / 8 + 4;
        }
        return false;
    }

    private static Duration first(Duration a, Duration b, Duration c) {
        return a != null ? a : b != null ? b : c;
    }

    private record SubnetDraft(IpPrefix network, List<Range> ranges, Scope scope, int line) {}

    private SubnetDraft subnet(Token start, List<Host> hosts) {
        Inet4Address network = address(next());
        expect("netmask");
        Token maskToken = next();
        int mask = Wire.ipv4ToInt(address(maskToken));
        int prefix = Integer.bitCount(mask);
        if (prefix != 0 && mask != -1 << (32 - prefix)) {
            throw new Invalid(new ConfigError.NetmaskNotContiguous(where(maskToken), maskToken.text()));
        }
        IpPrefix cidr = new IpPrefix(network, prefix);
        if ((Wire.ipv4ToInt(network) & ~Wire.ipv4Mask(cidr.length())) != 0) {
            throw new Invalid(new ConfigError.SubnetHostBits(where(start), network, maskToken.text()));
        }
        expect("{");
        Scope scope = new Scope();
        List<Range> ranges = new ArrayList<>();
        while (!peek().is("}")) {
            Token t = next();
            if (t.is("range")) {
                Token a = next();
                Inet4Address low = address(a);
                Inet4Address high = peek().is(";") ? low : address(next());
                expect(";");
                if (!cidr.contains(low) || !cidr.contains(high)) {
                    throw new Invalid(new ConfigError.RangeOutsideSubnet(where(a), low, high, cidr));
                }
                if (Integer.compareUnsigned(Wire.ipv4ToInt(low), Wire.ipv4ToInt(high)) > 0) {
                    throw new Invalid(new ConfigError.RangeBackwards(where(a), low, high));
                }
                Range range = new Range(Wire.ipv4ToInt(low), Wire.ipv4ToInt(high));
                for (Range other : ranges) {
                    if (other.contains(range.first()) || other.contains(range.last()) || range.contains(other.first())) {
                        // An address in two ranges would count twice in the pool's size.
                        throw new Invalid(new ConfigError.RangesOverlap(where(a), low, high, other));
                    }
                }
                ranges.add(range);
            } else if (t.is("host")) {
                hosts.add(host(t));
            } else {
                common(t, scope, "a subnet");
            }
        }
        next();
        return new SubnetDraft(cidr, ranges, scope, start.line());
    }

    private Host host(Token start) {
        String name = next().text();
        expect("{");
        Optional<MacAddress> mac = Optional.empty();
        Optional<Bytes> clientId = Optional.empty();
        Inet4Address fixed = null;
        Scope scope = new Scope();
        while (!peek().is("}")) {
            Token t = next();
            if (t.is("hardware")) {
                expect("ethernet");
                Token m = next();
                mac = Optional.of(MacAddress.parse(m.text())
                        .orElseThrow(e -> new Invalid(new ConfigError.BadHardwareAddress(where(m), e))));
                expect(";");
            } else if (t.is("fixed-address")) {
                fixed = address(next());
                expect(";");
            } else if (t.is("option") && peek().is("dhcp-client-identifier")) {
                next();
                clientId = Optional.of(stringOrHex(next()));
                expect(";");
            } else {
                common(t, scope, "a host");
            }
        }
        next();
        if (fixed == null) {
            throw new Invalid(new ConfigError.HostWithoutFixedAddress(where(start), name));
        }
        if (mac.isEmpty() && clientId.isEmpty()) {
            throw new Invalid(new ConfigError.HostWithoutIdentity(where(start), name));
        }
        Host host = new Host(name, mac, clientId, fixed, scope.options);
        for (SeenHost seen : seenHosts) {
            Host other = seen.host();
            if (other.fixedAddress().equals(fixed)) {
                // Two machines told the same address would both use it.
                throw new Invalid(new ConfigError.HostConflict(where(start), name, ConfigError.Shared.FIXED_ADDRESS,
                        fixed.getHostAddress(), other.name(), seen.line()));
            }
            if (mac.isPresent() && other.mac().equals(mac)) {
                throw new Invalid(new ConfigError.HostConflict(where(start), name, ConfigError.Shared.HARDWARE_ETHERNET,
                        mac.get().toString(), other.name(), seen.line()));
            }
            if (clientId.isPresent() && other.clientId().equals(clientId)) {
                throw new Invalid(new ConfigError.HostConflict(where(start), name, ConfigError.Shared.CLIENT_IDENTIFIER,
                        clientId.get().hex(), other.name(), seen.line()));
            }
        }
        seenHosts.add(new SeenHost(host, start.line()));
        return host;
    }

    /** A host read so far and the line it starts on, to reject a second one with its address or identity. */
    private record SeenHost(Host host, int line) {}

    /** Statements allowed in every scope. */
    private void common(Token t, Scope scope, String where) {
        if (t.is("option")) {
            option(scope);
        } else if (t.is("default-lease-time")) {
            scope.defaultLease = seconds(next());
            expect(";");
        } else if (t.is("max-lease-time")) {
            scope.maxLease = seconds(next());
            expect(";");
        } else if (t.is("authoritative")) {
            expect(";"); // we are always authoritative for our subnets (RFC 2131 4.3.2 NAKs)
        } else {
            throw new Invalid(new ConfigError.Unsupported(where(t), t.text(), where));
        }
    }

    /**
     * ISC dhcpd's dynamic DNS statements, at the top level: {@code ddns-update-style standard|none;}
     * ({@code interim} and {@code ad-hoc} refused), {@code ddns-updates on|off;}, {@code ignore|deny
     * client-updates;} (what this server does: the A record is its to update), {@code
     * ddns-domainname}, {@code ddns-rev-domainname}, {@code ddns-ttl}, {@code key NAME { algorithm
     * A; secret "BASE64"; }} (as {@code tsig-keygen} prints it) and {@code zone NAME { primary
     * ADDRESS[:PORT]; key NAME; }}.
     */
    private final class DdnsStatements {
        private boolean standard;
        private int styleLine;
        private boolean updates = true; // ISC: ddns-updates defaults to on; the style decides
        private Name domain;
        private int domainLine;
        private Name reverseDomain = Name.of("in-addr.arpa.");
        private Duration ttl;
        private final Map<Name, TsigKey> keys = new LinkedHashMap<>();
        private final List<Ddns.Zone> zones = new ArrayList<>();

        /** Reads {@code t}'s statement if it is one of these. */
        boolean statement(Token t) {
            if (t.is("ddns-update-style")) {
                Token style = next();
                switch (style.text()) {
                    case "standard" -> standard = true;
                    case "none" -> standard = false;
                    default -> throw new Invalid(new ConfigError.BadDdnsStyle(where(style), style.text()));
                }
                styleLine = t.line();
                expect(";");
            } else if (t.is("ddns-updates")) {
                Token v = next();
                switch (v.text()) {
                    case "on", "true" -> updates = true;
                    case "off", "false" -> updates = false;
                    default -> throw new Invalid(new ConfigError.NotOnOrOff(where(v), v.text()));
                }
                expect(";");
            } else if (t.is("ddns-domainname")) {
                domain = domainName(next(), true);
                domainLine = t.line();
                expect(";");
            } else if (t.is("ddns-rev-domainname")) {
                reverseDomain = domainName(next(), false);
                expect(";");
            } else if (t.is("ddns-ttl")) {
                ttl = seconds(next());
                expect(";");
            } else if ((t.is("ignore") || t.is("deny") || t.is("allow")) && peek().is("client-updates")) {
                next();
                if (t.is("allow")) {
                    // ISC: a client that asks (option 81, S clear) updates its A record itself; this server always does
                    throw new Invalid(new ConfigError.Unsupported(where(t), "allow client-updates",
                            "this server (it updates the A record itself, as with ignore client-updates)"));
                }
                expect(";");
            } else if (t.is("key")) {
                key();
            } else if (t.is("zone")) {
                zone();
            } else {
                return false;
            }
            return true;
        }

        private void key() {
            Token nameToken = next();
            Name name = domainName(nameToken, false);
            expect("{");
            TsigAlgorithm algorithm = null;
            Bytes secret = null;
            while (!peek().is("}")) {
                Token t = next();
                if (t.is("algorithm")) {
                    Token a = next();
                    algorithm = algorithm(a.text())
                            .orElseThrow(() -> new Invalid(new ConfigError.BadKey(where(a), nameToken.text(), "unknown algorithm " + a.text()
                                    + " (hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha224, hmac-sha1, hmac-md5)")));
                } else if (t.is("secret")) {
                    Token b = next();
                    try {
                        secret = Bytes.adopt(java.util.Base64.getDecoder().decode(b.text()));
                    } catch (IllegalArgumentException e) {
                        throw new Invalid(new ConfigError.BadKey(where(b), nameToken.text(), "the secret is not base64"));
                    }
                } else {
                    throw new Invalid(new ConfigError.Unsupported(where(t), t.text(), "a key"));
                }
                expect(";");
            }
            next();
            optionalSemicolon();
            if (algorithm == null || secret == null || secret.isEmpty()) {
                throw new Invalid(new ConfigError.BadKey(where(nameToken), nameToken.text(), "it needs an algorithm and a secret"));
            }
            keys.put(name, new TsigKey(name, algorithm, secret));
        }

        private void zone() {
            Token nameToken = next();
            Name name = domainName(nameToken, false);
            expect("{");
            Endpoint primary = null;
            TsigKey key = null;
            while (!peek().is("}")) {
                Token t = next();
                if (t.is("primary")) {
                    primary = primary(next());
                } else if (t.is("key")) {
                    Token k = next();
                    Name keyName = domainName(k, false);
                    key = keys.get(keyName);
                    if (key == null) {
                        // ISC: a key is declared before the zones that use it
                        throw new Invalid(new ConfigError.UnknownKey(where(k), k.text()));
                    }
                } else {
                    throw new Invalid(new ConfigError.Unsupported(where(t), t.text(), "a zone"));
                }
                expect(";");
            }
            next();
            optionalSemicolon();
            if (primary == null || key == null) {
                throw new Invalid(new ConfigError.IncompleteZone(where(nameToken), nameToken.text(), primary == null ? "primary" : "key"));
            }
            zones.add(new Ddns.Zone(name, primary, key));
        }

        private void optionalSemicolon() {
            if (at < tokens.size() && peek().is(";")) {
                next();
            }
        }

        /** {@code A.B.C.D} or, our extension for a primary on another port, {@code A.B.C.D:PORT}. */
        private Endpoint primary(Token t) {
            String text = t.text();
            int colon = text.indexOf(':');
            int port = 53;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(text.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    throw new Invalid(new ConfigError.NotAnIpv4Address(where(t), text));
                }
                text = text.substring(0, colon);
            }
            return new Endpoint(address(new Token(text, t.quoted(), t.line())), port);
        }

        private Name domainName(Token t, boolean hostNames) {
            Result<Name, NameError> parsed = Name.parse(t.text());
            if (parsed instanceof Result.Err<Name, NameError>(NameError e)) {
                throw new Invalid(new ConfigError.BadDomainName(where(t), t.text(), e.describe()));
            }
            Name n = parsed.orElseThrow().toLowerCase();
            if (hostNames && !jmirage.dhcpd.core.HostNames.ldh(n)) {
                throw new Invalid(new ConfigError.BadDomainName(where(t), t.text(),
                        "its labels must be host name labels (RFC 1123: letters, digits, inner hyphens)"));
            }
            return n;
        }

        /** The updates to send, if {@code ddns-update-style standard;} and {@code ddns-updates} not off. */
        Optional<Ddns> build() {
            if (!standard || !updates) {
                return Optional.empty();
            }
            if (domain == null) {
                throw new Invalid(new ConfigError.DdnsWithoutDomain(onLine(styleLine)));
            }
            Ddns d = new Ddns(domain, reverseDomain, Optional.ofNullable(ttl), zones);
            if (d.zoneOf(domain).isEmpty()) {
                throw new Invalid(new ConfigError.DomainInNoZone(onLine(domainLine), domain.toString()));
            }
            return Optional.of(d);
        }
    }

    /** An algorithm as ISC and BIND write it: {@code hmac-sha256}, with or without the final dot; {@code hmac-md5} for the long name. */
    private static Optional<TsigAlgorithm> algorithm(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("hmac-md5")) {
            return Optional.of(TsigAlgorithm.HMAC_MD5);
        }
        return Name.parse(lower) instanceof Result.Ok<Name, NameError>(Name n) ? TsigAlgorithm.byName(n) : Optional.empty();
    }

    private void option(Scope scope) {
        Token name = next();
        OptionSpec spec = OptionSpec.byName(name.text())
                .orElseThrow(() -> new Invalid(new ConfigError.UnknownOption(where(name), name.text())));
        List<Token> values = new ArrayList<>();
        while (!peek().is(";")) {
            Token v = next();
            if (!v.is(",")) {
                values.add(v);
            }
        }
        next();
        Result<Bytes, OptionError> encoded = spec.encode(values.stream().map(Token::text).toList());
        scope.options.put(spec.code(),
                encoded.orElseThrow(e -> new Invalid(new ConfigError.BadOption(where(name), name.text(), e))));
        scope.optionLines.put(spec.code(), name.line());
    }

    private Bytes stringOrHex(Token t) {
        if (t.quoted()) {
            return Bytes.utf8(t.text());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : t.text().split(":")) {
            try {
                int v = Integer.parseInt(part, 16);
                if (v < 0 || v > 255 || part.isEmpty() || part.length() > 2) {
                    throw new NumberFormatException();
                }
                out.write(v);
            } catch (NumberFormatException e) {
                throw new Invalid(new ConfigError.NotClientIdentifier(where(t), t.text()));
            }
        }
        return Bytes.adopt(out.toByteArray());
    }

    private Duration seconds(Token t) {
        try {
            long s = Long.parseLong(t.text());
            if (s < 1 || s > 0xfffffffeL) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw new Invalid(new ConfigError.NotSeconds(where(t), t.text()));
        }
    }

    private Inet4Address address(Token t) {
        if (t.quoted() || !(IpAddresses.parse(t.text()) instanceof Result.Ok<?, ?>(Inet4Address a))) {
            throw new Invalid(new ConfigError.NotAnIpv4Address(where(t), t.text()));
        }
        return a;
    }

    private Token next() {
        if (at >= tokens.size()) {
            int line = tokens.isEmpty() ? 1 : tokens.getLast().line();
            throw new Invalid(new ConfigError.UnexpectedEnd(onLine(line)));
        }
        return tokens.get(at++);
    }

    private Token peek() {
        if (at >= tokens.size()) {
            next(); // throws
        }
        return tokens.get(at);
    }

    private void expect(String s) {
        Token t = next();
        if (!t.is(s)) {
            throw new Invalid(new ConfigError.ExpectedToken(where(t), s, t.text()));
        }
    }

    private ConfigError.Where where(Token t) {
        return onLine(t.line());
    }

    private ConfigError.Where onLine(int line) {
        return new ConfigError.Where(file, line);
    }

    private static Result<List<Token>, ConfigError> tokenize(Optional<String> file, String text) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '{' || c == '}' || c == ';' || c == ',') {
                out.add(new Token(String.valueOf(c), false, line));
                i++;
            } else if (c == '"') {
                StringBuilder s = new StringBuilder();
                int start = line;
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    char d = text.charAt(i);
                    if (d == '\\' && i + 1 < text.length()) {
                        d = text.charAt(++i);
                    }
                    if (d == '\n') {
                        line++;
                    }
                    s.append(d);
                    i++;
                }
                if (i >= text.length()) {
                    return Result.err(new ConfigError.UnterminatedString(new ConfigError.Where(file, start)));
                }
                i++;
                out.add(new Token(s.toString(), true, start));
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "{};,\"#".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(text.substring(start, i), false, line));
            }
        }
        return Result.ok(out);
    }
}
