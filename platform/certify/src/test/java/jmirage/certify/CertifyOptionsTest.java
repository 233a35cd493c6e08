package jmirage.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.dns.Name;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.core.params.Mixin;
import jmirage.core.params.ParameterParser;
import jmirage.core.params.Parsed;
import org.junit.jupiter.api.Test;

/** The certify parameters: all or none, each problem naming its parameter. */
class CertifyOptionsTest {

    static final class Parameters {
        @Mixin
        CertifyOptions certify = new CertifyOptions();
    }

    /** As a unikernel includes them: a mixin of its parameters. */
    static CertifyOptions parse(String... args) {
        Parameters p = new Parameters();
        assertEquals(new Parsed.Assigned(), ParameterParser.parse(List.of(p), List.of(args)));
        return p.certify;
    }

    static List<String> problems(String... args) {
        return parse(args).problems().stream().map(ConfigProblem::describe).toList();
    }

    @Test
    void noneGivenIsNoCertify() {
        assertEquals(Result.ok(Optional.empty()), parse().config());
    }

    @Test
    void allGivenMakeTheConfiguration() {
        CertifyConfig c = parse("--certify-server", "127.17.3.1:5317", "--certify-key",
                "host._update.example.org:sha256:c2VjcmV0", "--certify-hostname", "WWW.example.org",
                "--certify-alt-name", "cal.example.org", "--certify-alt-name", "www.example.org.").config().orElseThrow().orElseThrow();
        assertEquals("127.17.3.1:5317", c.server().toString());
        assertEquals(Name.of("example.org."), c.zone());
        assertEquals(TsigAlgorithm.HMAC_SHA256, c.key().algorithm());
        assertEquals(Name.of("_letsencrypt._tcp.www.example.org."), c.recordName());
        assertEquals(List.of("www.example.org", "cal.example.org"), c.dnsNames());
        assertEquals(53, parse("--certify-server", "::1", "--certify-key", "a._update.example.org:hmac-sha512:c2VjcmV0",
                "--certify-hostname", "example.org").config().orElseThrow().orElseThrow().server().port());
    }

    @Test
    void aMissingOneIsNamed() {
        assertEquals(List.of("--certify-server: is needed with the other certify parameters (--certify-server, --certify-key, "
                + "--certify-hostname)", "--certify-key: is needed with the other certify parameters (--certify-server, "
                + "--certify-key, --certify-hostname)"), problems("--certify-hostname", "www.example.org"));
        assertEquals(3, problems("--certify-alt-name", "x.example.org").size());
    }

    @Test
    void badValuesAreRefusedWithTheirParameter() {
        String key = "host._update.example.org:sha256:c2VjcmV0";
        assertTrue(problems("--certify-server", "ns.example.org", "--certify-key", key, "--certify-hostname", "www.example.org")
                .getFirst().startsWith("--certify-server: "));
        assertEquals(List.of("--certify-key: 'sha3' is not a TSIG HMAC (md5, sha1, sha224, sha256, sha384, sha512)"),
                problems("--certify-server", "127.0.0.1", "--certify-key", "host._update.example.org:sha3:c2VjcmV0",
                        "--certify-hostname", "www.example.org"));
        assertEquals(List.of("--certify-key: the secret is not base64"), problems("--certify-server", "127.0.0.1",
                "--certify-key", "host._update.example.org:sha256:%%%", "--certify-hostname", "www.example.org"));
        assertEquals(List.of("--certify-key: host.example.org. is not NAME._update.ZONE: the zone the key may change follows "
                + "its _update label"), problems("--certify-server", "127.0.0.1", "--certify-key", "host.example.org:sha256:c2VjcmV0",
                "--certify-hostname", "www.example.org"));
        assertEquals(List.of("--certify-hostname: www.example.com. is not within example.org., the zone the key "
                + "host._update.example.org. may change"), problems("--certify-server", "127.0.0.1", "--certify-key", key,
                "--certify-hostname", "www.example.com"));
        assertEquals(List.of("--certify-alt-name: a.example.net. is not within example.org., the zone the key "
                + "host._update.example.org. may change"), problems("--certify-server", "127.0.0.1", "--certify-key", key,
                "--certify-hostname", "www.example.org", "--certify-alt-name", "a.example.net"));
        assertEquals(List.of("--certify-hostname: a/b.example.org. is not a host name (letters, digits and inner hyphens in "
                + "each label)", "--certify-alt-name: x_y.example.org. is not a host name (letters, digits and inner hyphens in "
                + "each label)"), problems("--certify-server", "127.0.0.1", "--certify-key", key, "--certify-hostname",
                "a/b.example.org", "--certify-alt-name", "x_y.example.org", "--certify-alt-name", "*.example.org"));
        assertEquals(List.of("--certify-key: expected NAME:ALGORITHM:BASE64SECRET"), problems("--certify-server", "127.0.0.1",
                "--certify-key", "host._update.example.org", "--certify-hostname", "www.example.org"));
    }

    @Test
    void theKeysZoneFollowsUpdate() {
        assertEquals(Optional.of(Name.of("example.org.")), CertifyOptions.zoneOfKey(Name.of("host._update.example.org.")));
        assertEquals(Optional.of(Name.of("sub.example.org.")), CertifyOptions.zoneOfKey(Name.of("a.b._update.sub.example.org.")));
        assertEquals(Optional.empty(), CertifyOptions.zoneOfKey(Name.of("_update.example.org.")));
        assertEquals(Optional.empty(), CertifyOptions.zoneOfKey(Name.of("host._update.")));
    }
}
