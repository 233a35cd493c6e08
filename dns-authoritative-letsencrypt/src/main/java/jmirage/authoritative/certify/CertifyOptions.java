package jmirage.authoritative.certify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.KeyError;
import jmirage.core.net.AddressError;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.core.params.Option;

/**
 * The boot parameters of the certify role, for the unikernel's Parameters to include with
 * {@code @Mixin}. Off unless {@code --acme-directory} is given.
 */
public final class CertifyOptions {

    @Option(names = "--acme-directory", paramLabel = "URL",
            description = "Turn the certify role on: order certificates for the CSRs published at _letsencrypt._tcp names from "
                    + "the ACME server whose directory is URL (Let's Encrypt: https://acme-v02.api.letsencrypt.org/directory, "
                    + "staging: https://acme-staging-v02.api.letsencrypt.org/directory). Default: off.")
    public String directory;

    @Option(names = "--acme-ca", paramLabel = "KEY",
            description = "Store key of CA certificates (PEM) the ACME server's TLS certificate may chain to, beside Let's "
                    + "Encrypt's roots (a test CA such as pebble's); under _acme/, e.g. _acme/ca.pem. Default: none.")
    public String ca;

    @Option(names = "--acme-email", paramLabel = "ADDR",
            description = "Contact address of the ACME account (the CA's expiry and policy mail). Default: none.")
    public String email;

    @Option(names = "--acme-resolver", paramLabel = "IP[:PORT]",
            description = "A recursive resolver to find the ACME server's address by (port 53 unless given); needed when the "
                    + "directory URL names a host rather than an IP address. Default: none.")
    public String resolver;

    /** The parameters, checked. */
    public record Config(URI directory, Optional<Key> ca, Optional<String> email, Optional<Endpoint> resolver) {}

    /** The settings when the role is on, or every problem with them, each named. Empty when off. */
    public Result<Optional<Config>, List<ConfigProblem>> parse() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (directory == null) {
            for (String[] given : new String[][] {{"--acme-ca", ca}, {"--acme-email", email}, {"--acme-resolver", resolver}}) {
                if (given[1] != null) {
                    problems.add(ConfigProblem.of(given[0], "needs --acme-directory (the certify role is off without it)"));
                }
            }
            return problems.isEmpty() ? Result.ok(Optional.empty()) : Result.err(problems);
        }
        Optional<Endpoint> resolverAt = Optional.empty();
        if (resolver != null) {
            switch (endpoint(resolver)) {
                case Result.Ok<Endpoint, String>(Endpoint e) -> resolverAt = Optional.of(e);
                case Result.Err<Endpoint, String>(String why) -> problems.add(ConfigProblem.of("--acme-resolver", why));
            }
        }
        URI uri = null;
        try {
            uri = new URI(directory);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                problems.add(ConfigProblem.of("--acme-directory", "'" + directory + "' is not an https:// URL with a host"
                        + " (RFC 8555 6.1: ACME is over HTTPS)"));
            } else if (!isIpLiteral(uri.getHost()) && resolver == null) {
                problems.add(ConfigProblem.of("--acme-directory", "the host " + uri.getHost() + " needs --acme-resolver IP[:PORT]"
                        + " to be found (the server resolves no names by itself), or give the directory with an IP address"));
            }
        } catch (URISyntaxException e) {
            problems.add(ConfigProblem.of("--acme-directory", "'" + directory + "' is not a URL: " + e.getReason()));
        }
        Optional<Key> caKey = Optional.empty();
        if (ca != null) {
            switch (Key.parse(ca)) {
                case Result.Err<Key, KeyError>(KeyError e) -> problems.add(ConfigProblem.of("--acme-ca", e.describe()));
                case Result.Ok<Key, KeyError>(Key k) when k.parent().equals(Key.ROOT) && !k.name().startsWith("_") ->
                        problems.add(ConfigProblem.of("--acme-ca", "'" + ca + "' would be read as a zone file (the store's"
                                + " top level holds zones): put it under _acme/, e.g. _acme/ca.pem"));
                case Result.Ok<Key, KeyError>(Key k) -> caKey = Optional.of(k);
            }
        }
        if (email != null && (email.isBlank() || !email.contains("@") || email.chars().anyMatch(c -> c <= ' ' || c == ','))) {
            problems.add(ConfigProblem.of("--acme-email", "'" + email + "' is not one mail address"));
        }
        if (!problems.isEmpty()) {
            return Result.err(problems);
        }
        return Result.ok(Optional.of(new Config(uri, caKey, Optional.ofNullable(email), resolverAt)));
    }

    private static boolean isIpLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return IpAddresses.parse(h).isOk();
    }

    private static Result<Endpoint, String> endpoint(String text) {
        return Endpoint.parse(text, 53).mapError(AddressError::describe);
    }
}
