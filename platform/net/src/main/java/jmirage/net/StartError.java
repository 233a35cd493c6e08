package jmirage.net;

import java.time.Duration;

/**
 * Why {@link DirectStack#start} gave no stack. The stack itself waits as long as DHCP takes (RFC
 * 2131 4.4.1 retries without end); the caller that bounds the wait with {@code
 * Scheduler.withTimeout} resolves with {@link TimedOut}.
 */
public sealed interface StartError {

    /** No address was bound within {@code waited}: with {@link Ipv4Config.Dhcp}, no lease that survived the ARP probe. */
    record TimedOut(Ipv4Config config, Duration waited) implements StartError {}

    default String describe() {
        return switch (this) {
            case TimedOut(Ipv4Config.Dhcp dhcp, Duration waited) -> "no DHCP lease within " + waited.toSeconds() + " s";
            case TimedOut(Ipv4Config.Static address, Duration waited) ->
                    "the stack did not start on " + address.address() + " within " + waited.toSeconds() + " s";
        };
    }
}
