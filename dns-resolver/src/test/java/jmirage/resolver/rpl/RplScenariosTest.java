package jmirage.resolver.rpl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jmirage.core.Clock;
import jmirage.core.Random;
import jmirage.core.Scheduler;
import jmirage.core.net.Endpoint;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.resolver.cache.AnswerCache;
import jmirage.resolver.cache.DenialCache;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.core.Resolver;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.upstream.Upstream;
import jmirage.resolver.validate.TrustAnchors;
import jmirage.resolver.validate.Validator;
import jmirage.resolver.validate.ValidatorConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * unbound's 156 validator scenarios (src/test/resources/rpl) replayed against the resolver's core:
 * one dynamic test per file. Those that cannot run here are in {@link #NOT_RUN}, each with the
 * reason; every other one must pass.
 */
class RplScenariosTest {

    /** The scenarios not run, and why. Every entry names a file that exists (checked below). */
    static final Map<String, String> NOT_RUN = notRun();

    private static Map<String, String> notRun() {
        Map<String, String> m = new LinkedHashMap<>();
        String gost = "GOST R 34.10-2001 (DNSKEY algorithm 12) and GOST R 34.11-94 (DS digest 3): RFC 8624 3.1 and 3.3 say a "
                + "validator MUST NOT validate them, so the validator treats them as unsupported (insecure, RFC 4035 5.2); the "
                + "scenario expects unbound built with GOST";
        m.put("val_ds_gost.rpl", gost);
        m.put("val_ds_gost_downgrade.rpl", gost);
        String snooping = "asks without RD (access-control: allow_snoop) and expects a referral from unbound's cache; the "
                + "resolver's core answers recursive questions only (Resolve has no RD), the serving layer refuses the others";
        m.put("val_refer_unsignadd.rpl", snooping);
        m.put("val_referd.rpl", snooping);
        m.put("val_referglue.rpl", snooping);
        return m;
    }

    @TestFactory
    Stream<DynamicTest> scenarios() {
        return RplFiles.names().stream().filter(name -> !NOT_RUN.containsKey(name)).map(name -> DynamicTest.dynamicTest(name, () -> {
            Rpl rpl = RplFiles.parse(name);
            RplRunner.Outcome outcome = RplRunner.run(rpl, RplScenariosTest::resolver);
            assertTrue(outcome.passed(), name + ": " + rpl.title() + "\n" + outcome.report());
        }));
    }

    @Test
    void everyScenarioNotRunExistsAndSaysWhy() {
        Set<String> files = new HashSet<>(RplFiles.names());
        List<String> unknown = new ArrayList<>();
        NOT_RUN.forEach((file, why) -> {
            if (!files.contains(file) || why.isBlank()) {
                unknown.add(file);
            }
        });
        assertEquals(List.of(), unknown);
    }

    /**
     * The resolver as the scenario configures it: the stub zones and forward zones as hints (a stub
     * server known only by address gets its reverse name), recursion with DO and without priming
     * (unbound's stub-prime: no), qname-minimisation as given (unbound's default: yes), the trust
     * anchors, and the validator's policy from fake-sha1/fake-dsa (testbound's switches that enable
     * SHA-1 and DSA), val-min-rsa-size, harden-algo-downgrade, harden-dnssec-stripped and
     * domain-insecure; the answer
     * cache with its defaults in front of the key fetches too, and aggressive NSEC when the file says
     * aggressive-nsec: yes (off otherwise, as the unbound these files were written for had it).
     */
    static Resolve resolver(RplConfig config, Upstream upstream, Clock clock, Random random, Scheduler loop) {
        Map<Name, List<Hints.Server>> stubs = new LinkedHashMap<>();
        config.stubZones().forEach((zone, addresses) -> {
            List<Hints.Server> servers = new ArrayList<>();
            for (InetAddress a : addresses) {
                servers.add(new Hints.Server(reverse(a), List.of(a)));
            }
            stubs.put(zone.toLowerCase(), servers);
        });
        Map<Name, List<Endpoint>> forwards = new LinkedHashMap<>();
        config.forwardZones().forEach((zone, addresses) ->
                forwards.put(zone.toLowerCase(), addresses.stream().map(a -> new Endpoint(a, 53)).toList()));
        Recursion.Config recursionConfig = Recursion.Config.defaults().withDnssecOk(true).withPrimeRoot(false)
                .withQnameMinimisation(config.flag("qname-minimisation", true));
        Recursion recursion = new Recursion(new Hints(stubs, forwards), upstream, clock, random, recursionConfig);
        ValidatorConfig validatorConfig = ValidatorConfig.defaults()
                .withMinRsaBits((int) config.number("val-min-rsa-size", 0)) // unbound checks no RSA size unless built with DEPRECATE_RSA_1024
                .withHardenAlgorithmDowngrade(config.flag("harden-algo-downgrade", false))
                .withHardenDnssecStripped(config.flag("harden-dnssec-stripped", true))
                .withMaxNsec3Iterations(nsec3Iterations(config))
                .withNegativeAnchors(config.server().getOrDefault("domain-insecure", List.of()).stream()
                        .map(d -> d.replace("\"", "")).map(d -> Name.of(d.endsWith(".") ? d : d + "."))
                        .collect(java.util.stream.Collectors.toSet()));
        if (config.flag("fake-dsa", false) || config.flag("fake-sha1", false)) {
            Set<Integer> algorithms = new HashSet<>(validatorConfig.algorithms());
            algorithms.addAll(Set.of(3, 6));
            validatorConfig = validatorConfig.withAlgorithms(algorithms);
        }
        Optional<DenialCache> denials = config.flag("aggressive-nsec", false)
                ? Optional.of(new DenialCache(Resolver.Caching.DEFAULT_DENIAL_RECORDS, validatorConfig.negativeAnchors())) : Optional.empty();
        Resolver.Caching caching = new Resolver.Caching(new AnswerCache(AnswerCache.Config.defaults()), denials, clock);
        Optional<Resolver.Validation> validation = Optional.empty(); // no trust anchor: validation off
        if (!config.trustAnchors().isEmpty()) {
            TrustAnchors anchors = TrustAnchors.of(config.trustAnchors()).orElseThrow();
            validation = Optional.of(new Validator(anchors, Resolver.keyFetcher(recursion, caching), clock, validatorConfig)::validate);
        }
        return new Resolver(recursion, validation, Optional.of(caching));
    }

    /**
     * unbound's val-nsec3-keysize-iterations table ("key-size iterations" pairs) read as one limit:
     * the smallest key size's, which is what the scenarios' small test keys get; 150 otherwise.
     */
    static int nsec3Iterations(RplConfig config) {
        String table = config.option("val-nsec3-keysize-iterations").orElse("").replace("\"", "").trim();
        String[] words = table.split("\\s+");
        return words.length >= 2 ? Integer.parseInt(words[1]) : 150;
    }

    /** 192.0.2.1 as 1.2.0.192.in-addr.arpa., a name for a server given by address only. */
    static Name reverse(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder();
        for (int i = b.length - 1; i >= 0; i--) {
            sb.append(b[i] & 0xff).append('.');
        }
        return Name.of(sb + (b.length == 4 ? "in-addr.arpa." : "ip6.arpa."));
    }
}
