package jmirage.caldav.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-address budget of wrong passwords, on plain values (monotonic nanoseconds). */
class FailedLoginsTest {

    private static final InetAddress A = InetAddress.ofLiteral("192.0.2.1");
    private static final InetAddress B = InetAddress.ofLiteral("192.0.2.2");
    private static final long SECOND = 1_000_000_000L;

    @Test
    void fiveFailuresPassThenTheSixthMakesTheAddressWaitOnePeriod() {
        FailedLogins logins = new FailedLogins();
        long t = 1000 * SECOND;
        for (int i = 0; i < FailedLogins.BURST; i++) {
            assertEquals(Duration.ZERO, logins.wait(A, t), "failure " + i + " within the burst");
            logins.failed(A, t);
        }
        assertEquals(Duration.ZERO, logins.wait(A, t), "the burst is spent only when a sixth failure comes");
        logins.failed(A, t);
        assertEquals(FailedLogins.PERIOD, logins.wait(A, t));
        assertEquals(Duration.ofSeconds(4), logins.wait(A, t + 6 * SECOND));
        assertEquals(Duration.ZERO, logins.wait(B, t), "another address is not affected");
        assertEquals(Duration.ZERO, logins.wait(A, t + 10 * SECOND), "after one period, one more try");
    }

    @Test
    void afterTheBurstOneTryPerPeriod() {
        FailedLogins logins = new FailedLogins();
        long t = 0;
        for (int i = 0; i <= FailedLogins.BURST; i++) {
            logins.failed(A, t);
        }
        t += 10 * SECOND;
        assertEquals(Duration.ZERO, logins.wait(A, t));
        logins.failed(A, t);
        logins.failed(A, t + 1);
        assertTrue(logins.wait(A, t + 2).compareTo(Duration.ofSeconds(9)) > 0, "the next failure within the period blocks again");
    }

    @Test
    void theTableIsBoundedAndForgetsTheAddressUnseenLongest() {
        FailedLogins logins = new FailedLogins(3);
        for (int i = 1; i <= 4; i++) {
            InetAddress a = InetAddress.ofLiteral("192.0.2." + i);
            for (int k = 0; k <= FailedLogins.BURST; k++) {
                logins.failed(a, 0);
            }
        }
        assertEquals(3, logins.tracked());
        assertEquals(Duration.ZERO, logins.wait(InetAddress.ofLiteral("192.0.2.1"), 1), "the first address was forgotten");
        assertEquals(FailedLogins.PERIOD.minusNanos(1), logins.wait(InetAddress.ofLiteral("192.0.2.4"), 1));
    }
}
