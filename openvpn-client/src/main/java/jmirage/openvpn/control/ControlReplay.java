package jmirage.openvpn.control;

import jmirage.openvpn.data.ReplayWindow;
import jmirage.openvpn.wire.ReplayStamp;

/**
 * Replay protection of tls-auth and tls-crypt control packets (packet_id.c packet_id_test and
 * packet_id_add, backtrack mode): a stamp is its sender's time and a counter. A later time starts a
 * new window; an earlier one is refused; within the same time, the counter goes through a
 * {@link ReplayWindow} (OpenVPN's --replay-window, 64 by default). Counter 0 is never valid.
 * OpenVPN uses a strict next-id rule on TCP; the window is used on both here, since TCP neither
 * loses nor reorders and a replayed packet is refused either way.
 */
public record ControlReplay(long time, ReplayWindow window) {

    public static final ControlReplay EMPTY = new ControlReplay(0, ReplayWindow.EMPTY);

    public enum Verdict { FRESH, REPLAYED, TOO_OLD, TIME_BACKTRACK, ZERO }

    public Verdict check(ReplayStamp stamp) {
        if (stamp.packetId() == 0) {
            return Verdict.ZERO;
        }
        if (stamp.time() < time) {
            return Verdict.TIME_BACKTRACK;
        }
        if (stamp.time() > time) {
            return Verdict.FRESH;
        }
        return switch (window.check(stamp.packetId())) {
            case FRESH -> Verdict.FRESH;
            case REPLAYED -> Verdict.REPLAYED;
            case TOO_OLD -> Verdict.TOO_OLD;
            case ZERO -> Verdict.ZERO;
        };
    }

    /** The state with {@code stamp} seen; call only after {@link #check} said FRESH. */
    public ControlReplay accept(ReplayStamp stamp) {
        if (check(stamp) != Verdict.FRESH) {
            throw new IllegalArgumentException(stamp + " is not fresh: " + check(stamp));
        }
        ReplayWindow base = stamp.time() > time ? ReplayWindow.EMPTY : window;
        return new ControlReplay(stamp.time(), base.accept(stamp.packetId()));
    }
}
