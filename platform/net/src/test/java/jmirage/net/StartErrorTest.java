package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import jmirage.core.net.IpPrefix;
import org.junit.jupiter.api.Test;

/** The operator's line for a stack that did not come up in time, by how it was to get its address. */
class StartErrorTest {

    @Test
    void aTimeoutSaysWhetherItWasWaitingForDhcpOrForAStaticAddress() {
        assertEquals("no DHCP lease within 30 s", new StartError.TimedOut(new Ipv4Config.Dhcp(), Duration.ofSeconds(30)).describe());
        Ipv4Config fixed = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.77.0.2/24").orElseThrow(), Optional.empty());
        assertEquals("the stack did not start on 10.77.0.2/24 within 5 s", new StartError.TimedOut(fixed, Duration.ofSeconds(5)).describe());
    }
}
