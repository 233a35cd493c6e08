package jmirage.resolver.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Metrics;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.kv.MemKv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.core.Security;
import org.junit.jupiter.api.Test;

class PolicyShellTest {

    final VirtualClock clock = new VirtualClock(Instant.parse("2026-12-06T00:00:00Z"));
    final SimScheduler time = new SimScheduler(clock);
    final MemKv kv = new MemKv(clock);
    final List<LogRecord> lines = new ArrayList<>();
    final Metrics metrics = new Metrics();
    final RecordingLog log = new RecordingLog("dns-resolver", LogLevel.INFO, clock, lines::add);
    final Resolve upstream = (q, cd) -> Promise.resolved(new Resolution(q, Header.NOERROR, List.of(), List.of(), List.of(),
            Security.INSECURE, Optional.empty(), false));

    PolicyOptions options() {
        PolicyOptions o = new PolicyOptions();
        o.blocklists.add("lists/ads");
        o.localHosts.add("leases/hosts");
        return o;
    }

    void put(String key, String text) {
        assertTrue(kv.set(Key.of(key), Bytes.utf8(text)).value().isOk());
    }

    int rcode(Resolve r, String name) {
        return r.resolve(new Question(Name.of(name), Type.A), false).value().rcode();
    }

    @Test
    void theFilesOfTheStoreMakeThePolicyAndAReloadReplacesItOnlyWhenClean() {
        put("lists/ads", "0.0.0.0 ads.example\n");
        put("leases/hosts", "10.0.0.5 printer.lan\n");
        PolicyShell shell = PolicyShell.start(kv, options(), clock, log, metrics).value().orElseThrow();
        Resolve r = shell.around(upstream);
        assertEquals(Header.NXDOMAIN, rcode(r, "ads.example."));
        assertEquals(Header.NOERROR, rcode(r, "more-ads.example."));
        assertTrue(r.resolve(new Question(Name.of("printer.lan."), Type.A), false).value().authoritative());

        put("lists/ads", "0.0.0.0 ads.example\n0.0.0.0 more-ads.example\n");
        put("leases/hosts", "10.0.0.5 printer.lan\nlonely.lan\n");
        Result<?, List<ConfigProblem>> refused = shell.reload().value();
        assertEquals(List.of("leases/hosts:2: host name lonely.lan. without an address"),
                ((Result.Err<?, List<ConfigProblem>>) refused).error().stream().map(ConfigProblem::describe).toList());
        assertEquals(Header.NOERROR, rcode(r, "more-ads.example."), "the previous policy stays");
        assertEquals(refused, Result.err(PolicyShell.check(kv, options()).value()));

        put("leases/hosts", "10.0.0.5 printer.lan\n");
        put("lists/ads", "0.0.0.0 ads.example\n0.0.0.0 more-ads.example\n");
        assertTrue(shell.reload().value().isOk());
        assertEquals(Header.NXDOMAIN, rcode(r, "more-ads.example."), "the same Resolve sees the new policy");
        assertTrue(lines.stream().anyMatch(l -> l.message().startsWith("policy reloaded: ")), lines.toString());
    }

    @Test
    void aBlocklistWithBadLinesIsUsedAndTheBadLinesAreWarnedAbout() {
        put("lists/ads", "0.0.0.0 ads.example\nnot-an-address host\n0.0.0.0 tracker.example\n");
        put("leases/hosts", "10.0.0.5 printer.lan\n");
        PolicyShell shell = PolicyShell.start(kv, options(), clock, log, metrics).value().orElseThrow();
        Resolve r = shell.around(upstream);
        assertEquals(Header.NXDOMAIN, rcode(r, "tracker.example."), "the lines after the bad one are read");
        assertEquals(List.of(), PolicyShell.check(kv, options()).value(), "a blocklist's bad line is no problem for the check");
        assertEquals(List.of("lists/ads: 1 bad line skipped (line 2: not an IP address: not-an-address)"),
                lines.stream().filter(l -> l.level() == LogLevel.WARN).map(LogRecord::message).toList());
    }

    @Test
    void aMissingFileOrABadKeyRefusesTheBoot() {
        put("lists/ads", "0.0.0.0 ads.example\n");
        var missing = PolicyShell.start(kv, options(), clock, log, metrics).value();
        assertEquals(List.of("leases/hosts: nothing at 'leases/hosts'"),
                ((Result.Err<?, List<ConfigProblem>>) missing).error().stream().map(ConfigProblem::describe).toList());
        PolicyOptions bad = new PolicyOptions();
        bad.rpz.add("/");
        assertEquals(List.of("--rpz: names no file: '/'"), bad.problems().stream().map(ConfigProblem::describe).toList());
        assertEquals(bad.problems(), PolicyShell.check(kv, bad).value());
    }

    @Test
    void blockedQuestionsAreLoggedAtARateThatCannotFloodTheLog() {
        put("lists/ads", "0.0.0.0 ads.example\n");
        put("leases/hosts", "");
        PolicyShell shell = PolicyShell.start(kv, options(), clock, log, metrics).value().orElseThrow();
        Resolve r = shell.around(upstream);
        lines.clear();
        for (int i = 0; i < 30; i++) {
            rcode(r, "ads.example.");
        }
        assertEquals(PolicyShell.LOG_BURST, lines.size());
        assertEquals("blocked ads.example. A by lists/ads", lines.getFirst().message());
        time.runFor(Duration.ofSeconds(1));
        rcode(r, "ads.example.");
        assertEquals("blocked ads.example. A by lists/ads (20 more not logged)", lines.getLast().message());
        rcode(r, "printer.example.");
        assertEquals(PolicyShell.LOG_BURST + 1, lines.size(), "what passes is not logged");
        assertEquals(31, metrics.counter("jmirage_resolver_policy_answers_total", "", "kind").labels("blocked").value(),
                "every blocked question is counted, logged or not");
    }
}
