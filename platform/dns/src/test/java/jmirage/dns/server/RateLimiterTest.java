package jmirage.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    @Test
    void aBurstIsAnsweredThenLimitedWithSlips() {
        RateLimiter rrl = new RateLimiter(5, 2, 100);
        int answered = 0;
        int slipped = 0;
        for (int i = 0; i < 20; i++) {
            switch (rrl.check(ip("192.0.2.1"), 0)) {
                case ANSWER -> answered++;
                case SLIP -> slipped++;
                case DROP -> { }
            }
        }
        assertEquals(5, answered);
        assertEquals(7, slipped); // every second of the 15 limited ones
        // another address of the same /24 shares the bucket, another /24 does not
        assertTrue(rrl.check(ip("192.0.2.200"), 0) != RateLimiter.Verdict.ANSWER);
        assertEquals(RateLimiter.Verdict.ANSWER, rrl.check(ip("192.0.3.1"), 0));
        // the bucket refills with time
        assertEquals(RateLimiter.Verdict.ANSWER, rrl.check(ip("192.0.2.1"), 1_000_000_000L));
    }

    @Test
    void perClientLengthsGiveEachAddressItsOwnBucket() {
        RateLimiter perClient = new RateLimiter(2, 0, 100, 32, 128);
        for (String client : List.of("192.0.2.1", "2001:db8::1")) {
            assertEquals(RateLimiter.Verdict.ANSWER, perClient.check(ip(client), 0));
            assertEquals(RateLimiter.Verdict.ANSWER, perClient.check(ip(client), 0));
            assertEquals(RateLimiter.Verdict.DROP, perClient.check(ip(client), 0));
        }
        // a neighbour in the same /24 or /56 is another client
        assertEquals(RateLimiter.Verdict.ANSWER, perClient.check(ip("192.0.2.2"), 0));
        assertEquals(RateLimiter.Verdict.ANSWER, perClient.check(ip("2001:db8::2"), 0));
        assertEquals(4, perClient.tracked());
    }

    @Test
    void ipv6IsLimitedPer56AndZeroTurnsLimitingOff() {
        RateLimiter rrl = new RateLimiter(1, 0, 100);
        assertEquals(RateLimiter.Verdict.ANSWER, rrl.check(ip("2001:db8:0:1::1"), 0));
        assertEquals(RateLimiter.Verdict.DROP, rrl.check(ip("2001:db8:0:2::1"), 0)); // same /56
        assertEquals(RateLimiter.Verdict.ANSWER, rrl.check(ip("2001:db8:0:100::1"), 0));
        RateLimiter off = new RateLimiter(0, 2, 100);
        for (int i = 0; i < 1000; i++) {
            assertEquals(RateLimiter.Verdict.ANSWER, off.check(ip("192.0.2.1"), 0));
        }
    }

    @Test
    void theTableOfPrefixesIsBounded() {
        RateLimiter rrl = new RateLimiter(10, 2, 50);
        for (int i = 0; i < 1000; i++) {
            rrl.check(ip("10." + (i / 256) + "." + (i % 256) + ".1"), i);
        }
        assertEquals(50, rrl.tracked());
    }

    @Property(tries = 300)
    void noPrefixGetsMoreThanItsRateOverAnyRun(@ForAll @IntRange(min = 1, max = 50) int rate,
            @ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 20_000_000) Integer> gapsNanos) {
        RateLimiter rrl = new RateLimiter(rate, 3, 10);
        long now = 0;
        int answered = 0;
        for (int gap : gapsNanos) {
            now += gap;
            if (rrl.check(ip("198.51.100.7"), now) == RateLimiter.Verdict.ANSWER) {
                answered++;
            }
        }
        // a full bucket at the start, then the refill over the elapsed time
        double allowed = rate + rate * (now / 1e9);
        assertTrue(answered <= Math.floor(allowed) + 1e-9, answered + " > " + allowed);
    }
}
