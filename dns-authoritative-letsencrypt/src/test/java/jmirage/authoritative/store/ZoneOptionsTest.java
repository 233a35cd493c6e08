package jmirage.authoritative.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.authoritative.secondary.SecondaryZone;
import jmirage.authoritative.transfer.NotifyTarget;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.params.ParameterParser;
import jmirage.core.params.Parsed;
import jmirage.dns.Name;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

/** The boot parameters of zone management: what they accept, and a clear error for what they do not. */
class ZoneOptionsTest {

    static Endpoint ep(String s) {
        return Endpoint.parse(s).orElseThrow();
    }

    @Test
    void secondaryNotifyAndPrefixSyntax() {
        assertEquals(new SecondaryZone(Name.of("example.org."), ep("192.0.2.1:53"), Optional.empty()),
                SecondaryZone.parse("example.org@192.0.2.1").orElseThrow());
        assertEquals(new SecondaryZone(Name.of("example.org."), ep("192.0.2.1:5300"), Optional.of(Name.of("k._transfer."))),
                SecondaryZone.parse("example.org.@192.0.2.1:5300#k._transfer").orElseThrow());
        assertEquals(ep("[2001:db8::1]:53"), SecondaryZone.parse("x.test@2001:db8::1").orElseThrow().primary());
        assertEquals(ep("[2001:db8::1]:54"), SecondaryZone.parse("x.test@[2001:db8::1]:54").orElseThrow().primary());
        assertFalse(SecondaryZone.parse("example.org").isOk());
        assertFalse(SecondaryZone.parse("example.org@ns1.example.net").isOk(), "an address, never a name to resolve");
        assertEquals(new NotifyTarget(ep("192.0.2.2:53"), Optional.empty()), NotifyTarget.parse("192.0.2.2").orElseThrow());
        assertEquals(new NotifyTarget(ep("192.0.2.2:5353"), Optional.of(Name.of("n._notify."))),
                NotifyTarget.parse("192.0.2.2:5353#n._notify").orElseThrow());
    }

    @Test
    void badOptionsStopTheStartWithEveryReason() {
        ZoneOptions o = new ZoneOptions();
        assertEquals(new Parsed.Assigned(), ParameterParser.parse(List.of(o), List.of("--secondary", "nope", "--notify",
                "not-an-ip", "--allow-transfer", "10.0.0.0/99", "--zone-poll", "-1")));
        Simulation sim = new Simulation(1);
        var r = sim.scheduler().runUntil(ZoneManagement.start(new MemKv(sim.clock()), java.util.Optional.empty(), null, sim.scheduler(), sim.clock(),
                sim.random(), sim.log("z", LogLevel.INFO), o)).value();
        ZoneManagementError error = ((Result.Err<ZoneManagement, ZoneManagementError>) r).error();
        List<ZoneOptionError> each = assertInstanceOf(ZoneManagementError.Options.class, error).errors();
        assertEquals(new ZoneOptionError.Form("--secondary", "nope", "ZONE@IP[:PORT][#KEYNAME]"), each.get(0));
        assertEquals(List.of("--notify", "--allow-transfer"), each.subList(1, 3).stream()
                .map(e -> ((ZoneOptionError.BadAddress) e).option()).toList());
        assertEquals(new ZoneOptionError.OutOfRange("--zone-poll", -1, "0 or more seconds"), each.get(3));
        String line = error.describe();
        assertTrue(line.contains("nope") && line.contains("not-an-ip") && line.contains("10.0.0.0/99")
                && line.contains("--zone-poll"), line);
    }
}
