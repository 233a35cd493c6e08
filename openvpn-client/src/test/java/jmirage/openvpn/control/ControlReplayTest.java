package jmirage.openvpn.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jmirage.openvpn.wire.ReplayStamp;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ControlReplayTest {

    @Test
    void timeForwardStartsAfreshAndTimeBackIsRefused() {
        ControlReplay r = ControlReplay.EMPTY.accept(new ReplayStamp(5, 100));
        assertEquals(ControlReplay.Verdict.REPLAYED, r.check(new ReplayStamp(5, 100)));
        assertEquals(ControlReplay.Verdict.FRESH, r.check(new ReplayStamp(4, 100)), "reordered within the window");
        assertEquals(ControlReplay.Verdict.FRESH, r.check(new ReplayStamp(1, 101)), "a restarted peer's new time");
        assertEquals(ControlReplay.Verdict.TIME_BACKTRACK, r.check(new ReplayStamp(9, 99)));
        assertEquals(ControlReplay.Verdict.ZERO, r.check(new ReplayStamp(0, 100)));
        assertEquals(ControlReplay.Verdict.TOO_OLD, r.accept(new ReplayStamp(200, 100)).check(new ReplayStamp(100, 100)));
    }

    /** Against a model: a stamp is accepted iff it is new, not from an earlier time, and within 64 of the highest id of its time. */
    @Property(tries = 300)
    void acceptsEachStampOnceAsTheModelSays(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 150) Integer> ids,
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 3) Integer> times) {
        ControlReplay r = ControlReplay.EMPTY;
        Set<List<Long>> seen = new HashSet<>();
        long time = 0;
        long highest = 0;
        for (int i = 0; i < Math.min(ids.size(), times.size()); i++) {
            ReplayStamp s = new ReplayStamp(ids.get(i), times.get(i));
            boolean expected = s.packetId() > 0 && s.time() >= time
                    && (s.time() > time || (!seen.contains(List.of(s.packetId(), s.time())) && s.packetId() > highest - 64));
            assertEquals(expected, r.check(s) == ControlReplay.Verdict.FRESH, s + " at time " + time + ", highest " + highest);
            if (expected) {
                r = r.accept(s);
                if (s.time() > time) {
                    highest = 0;
                }
                time = s.time();
                highest = Math.max(highest, s.packetId());
                seen.add(List.of(s.packetId(), s.time()));
            }
        }
    }
}
