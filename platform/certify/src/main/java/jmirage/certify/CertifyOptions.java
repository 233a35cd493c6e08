package jmirage.certify;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.net.AddressError;
import jmirage.core.net.Endpoint;
import jmirage.core.params.Option;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.certify.CertifyRecords;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;

/**
 * The boot parameters of the certify client, for a unikernel's Parameters to include with
 * {@code @Mixin}: all of {@code --certify-server}, {@code --certify-key} and
 * {@code --certify-hostname}, or none ({@code --certify-alt-name} only with them).
 */
public final class CertifyOptions {

    @Option(names = "--certify-server", paramLabel = "IP[:PORT]",
            description = "Get the TLS certificate through DNS (decision 11): the authoritative primary that takes the "
                    + "signed update with our CSR and serves the certificate back; port 53 unless given. "
                    + "Needs --certify-key and --certify-hostname.")
    public String server;

    @Option(names = "--certify-key", paramLabel = "NAME:ALGORITHM:BASE64",
            description = "The TSIG key the CSR is published with, as dns-certify's --dns-key: NAME._update.ZONE, "
                    + "an HMAC (md5, sha1, sha224, sha256, sha384, sha512) and the base64 secret, "
                    + "e.g. host._update.example.org:sha256:c2VjcmV0...")
    public String key;

    @Option(names = "--certify-hostname", paramLabel = "NAME",
            description = "The certificate's name (subject and first subjectAltName), within the key's zone; "
                    + "the CSR and the certificate are at _letsencrypt._tcp.NAME.")
    public String hostname;

    @Option(names = "--certify-alt-name", paramLabel = "NAME",
            description = "A further name for the certificate, within the key's zone. Repeatable.")
    public List<String> altNames = new ArrayList<>();

    /** Whether any certify parameter was given. */
    public boolean given() {
        return server != null || key != null || hostname != null || !altNames.isEmpty();
    }

    /** The problems of the parameters, each naming its parameter; empty when they are fine or all absent. */
    public List<ConfigProblem> problems() {
        return config() instanceof Result.Err<Optional<CertifyConfig>, List<ConfigProblem>>(List<ConfigProblem> p)
                ? p : List.of();
    }

    /** The checked configuration, empty when no certify parameter was given. */
    public Result<Optional<CertifyConfig>, List<ConfigProblem>> config() {
        if (!given()) {
            return Result.ok(Optional.empty());
        }
        List<ConfigProblem> problems = new ArrayList<>();
        String missing = "is needed with the other certify parameters (--certify-server, --certify-key, --certify-hostname)";
        if (server == null) {
            problems.add(ConfigProblem.of("--certify-server", missing));
        }
        if (key == null) {
            problems.add(ConfigProblem.of("--certify-key", missing));
        }
        if (hostname == null) {
            problems.add(ConfigProblem.of("--certify-hostname", missing));
        }
        Optional<Endpoint> endpoint = server == null ? Optional.empty() : endpoint(server, problems);
        Optional<ParsedKey> parsedKey = key == null ? Optional.empty() : key(key, problems);
        Optional<Name> host = hostname == null ? Optional.empty()
                : name("--certify-hostname", hostname, problems).flatMap(h -> hostName("--certify-hostname", h, false, problems));
        List<Name> alt = new ArrayList<>();
        for (String a : altNames) {
            name("--certify-alt-name", a, problems).flatMap(n -> hostName("--certify-alt-name", n, true, problems))
                    .ifPresent(alt::add);
        }
        if (parsedKey.isPresent()) {
            Name zone = parsedKey.get().zone();
            host.filter(h -> !h.isSubdomainOf(zone)).ifPresent(h -> problems.add(ConfigProblem.of("--certify-hostname",
                    h + " is not within " + zone + ", the zone the key " + parsedKey.get().key().name() + " may change")));
            alt.stream().filter(a -> !a.isSubdomainOf(zone)).forEach(a -> problems.add(ConfigProblem.of("--certify-alt-name",
                    a + " is not within " + zone + ", the zone the key " + parsedKey.get().key().name() + " may change")));
        }
        host.filter(h -> !CertifyRecords.owner(h).isOk()).ifPresent(h -> problems.add(ConfigProblem.of(
                "--certify-hostname", "_letsencrypt._tcp." + h + " is longer than a DNS name may be (RFC 1035 2.3.4)")));
        if (!problems.isEmpty()) {
            return Result.err(List.copyOf(problems));
        }
        return Result.ok(Optional.of(new CertifyConfig(endpoint.orElseThrow(), parsedKey.orElseThrow().key(),
                parsedKey.orElseThrow().zone(), host.orElseThrow(), alt)));
    }

    private record ParsedKey(TsigKey key, Name zone) {}

    private static Optional<Endpoint> endpoint(String text, List<ConfigProblem> problems) {
        return switch (Endpoint.parse(text, 53)) {
            case Result.Ok<Endpoint, AddressError>(Endpoint e) -> Optional.of(e);
            case Result.Err<Endpoint, AddressError>(AddressError e) -> {
                problems.add(ConfigProblem.of("--certify-server", e.describe() + " (an IP address, not a name: '" + text + "')"));
                yield Optional.empty();
            }
        };
    }

    /** {@code NAME:ALGORITHM:BASE64}, the name being {@code LABEL._update.ZONE} (decision 11, as dns-certify). */
    private static Optional<ParsedKey> key(String text, List<ConfigProblem> problems) {
        String[] parts = text.split(":", 3);
        if (parts.length != 3) {
            problems.add(ConfigProblem.of("--certify-key", "expected NAME:ALGORITHM:BASE64SECRET"));
            return Optional.empty();
        }
        Optional<Name> name = name("--certify-key", parts[0], problems);
        Optional<TsigAlgorithm> algorithm = algorithm(parts[1]);
        if (algorithm.isEmpty()) {
            problems.add(ConfigProblem.of("--certify-key", "'" + parts[1]
                    + "' is not a TSIG HMAC (md5, sha1, sha224, sha256, sha384, sha512)"));
        }
        Optional<Bytes> secret;
        try {
            secret = Optional.of(Bytes.adopt(Base64.getDecoder().decode(parts[2])));
        } catch (IllegalArgumentException e) {
            problems.add(ConfigProblem.of("--certify-key", "the secret is not base64"));
            secret = Optional.empty();
        }
        if (secret.isPresent() && secret.get().size() == 0) {
            problems.add(ConfigProblem.of("--certify-key", "the secret is empty"));
            secret = Optional.empty();
        }
        Optional<Name> zone = name.flatMap(CertifyOptions::zoneOfKey);
        if (name.isPresent() && zone.isEmpty()) {
            problems.add(ConfigProblem.of("--certify-key", name.get()
                    + " is not NAME._update.ZONE: the zone the key may change follows its _update label"));
        }
        if (zone.isEmpty() || algorithm.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ParsedKey(new TsigKey(name.get(), algorithm.get(), secret.get()), zone.get()));
    }

    /** The zone of a key {@code LABEL._update.ZONE}: the name after its first {@code _update} label. */
    static Optional<Name> zoneOfKey(Name key) {
        for (int i = 1; i < key.labelCount(); i++) {
            if (new String(key.label(i), java.nio.charset.StandardCharsets.US_ASCII).equalsIgnoreCase("_update")) {
                return i + 1 < key.labelCount() ? Optional.of(key.parent(i + 1)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<TsigAlgorithm> algorithm(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return Optional.ofNullable(switch (t.startsWith("hmac-") ? t.substring(5) : t) {
            case "md5" -> TsigAlgorithm.HMAC_MD5;
            case "sha1" -> TsigAlgorithm.HMAC_SHA1;
            case "sha224" -> TsigAlgorithm.HMAC_SHA224;
            case "sha256" -> TsigAlgorithm.HMAC_SHA256;
            case "sha384" -> TsigAlgorithm.HMAC_SHA384;
            case "sha512" -> TsigAlgorithm.HMAC_SHA512;
            default -> null;
        });
    }

    /**
     * A name a certificate can carry: letters, digits and inner hyphens in each label (RFC 5280
     * 4.2.1.6, RFC 1034 3.5); an alternative name may start with a {@code *} label (a wildcard).
     */
    private static Optional<Name> hostName(String option, Name name, boolean wildcardAllowed, List<ConfigProblem> problems) {
        for (int i = 0; i < name.labelCount(); i++) {
            String label = new String(name.label(i), java.nio.charset.StandardCharsets.ISO_8859_1);
            boolean wildcard = wildcardAllowed && i == 0 && label.equals("*");
            if (!wildcard && !label.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?")) {
                problems.add(ConfigProblem.of(option, name + " is not a host name (letters, digits and inner hyphens in each label)"));
                return Optional.empty();
            }
        }
        return Optional.of(name);
    }

    private static Optional<Name> name(String option, String text, List<ConfigProblem> problems) {
        String absolute = text.endsWith(".") ? text : text + ".";
        return switch (Name.parse(absolute)) {
            case Result.Ok<Name, NameError>(Name n) when n.labelCount() > 0 -> Optional.of(n.toLowerCase());
            case Result.Ok<Name, NameError> root -> {
                problems.add(ConfigProblem.of(option, "the root is not a host name"));
                yield Optional.empty();
            }
            case Result.Err<Name, NameError>(NameError e) -> {
                problems.add(ConfigProblem.of(option, "'" + text + "' is not a DNS name: " + e.describe()));
                yield Optional.empty();
            }
        };
    }
}
