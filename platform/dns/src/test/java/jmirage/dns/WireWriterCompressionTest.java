package jmirage.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * WireWriter's compression table gives exactly the bytes of the plain algorithm of RFC 1035 4.1.4
 * (every suffix written before 0x4000 remembered, the first offset of an exact-case suffix reused),
 * rollbacks included: the reference below is that algorithm with a map from suffix to offset.
 */
class WireWriterCompressionTest {

    /** One step: write a name (compressed or not, lower-cased or not), or roll back to an earlier mark. */
    record Step(Name name, boolean compress, boolean lower, boolean rollback, int padding) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Generators.pooledNames(), Arbitraries.of(true, true, false),
                Arbitraries.of(false, false, true), Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 6000))
                .as((name, compress, lower, roll, padding) -> new Step(name, compress, lower, roll == 0, padding));
        return step.list().ofMaxSize(60);
    }

    @Property(tries = 1000)
    void theSameBytesAsThePlainAlgorithm(@ForAll("steps") List<Step> steps) {
        WireWriter fast = new WireWriter(16);
        Reference slow = new Reference();
        List<Integer> marks = new ArrayList<>();
        for (Step s : steps) {
            if (s.rollback() && !marks.isEmpty()) {
                int mark = marks.get(s.padding() % marks.size());
                fast.rollback(mark);
                slow.rollback(mark);
                marks.removeIf(m -> m > mark);
                continue;
            }
            marks.add(fast.position());
            // padding moves later names past 0x4000, where they are no longer compression targets
            byte[] pad = new byte[s.padding() % 7 == 0 ? s.padding() : 0];
            fast.raw(pad);
            slow.raw(pad);
            fast.name(s.name(), s.compress(), s.lower());
            slow.name(s.name(), s.compress(), s.lower());
            assertArrayEquals(slow.toArray(), fast.toArray());
        }
        assertArrayEquals(slow.toArray(), fast.toArray());
    }

    /** The plain algorithm: a map from each exact-case suffix to where it was first written. */
    private static final class Reference {
        private byte[] buf = new byte[0];
        private final Map<String, Integer> offsets = new HashMap<>();

        void raw(byte[] b) {
            byte[] next = Arrays.copyOf(buf, buf.length + b.length);
            System.arraycopy(b, 0, next, buf.length, b.length);
            buf = next;
        }

        void name(Name name, boolean compress, boolean lower) {
            if (lower) {
                name = name.toLowerCase();
            }
            for (int i = 0; i < name.labelCount(); i++) {
                String key = exact(name, i);
                Integer at = offsets.get(key);
                if (compress && at != null) {
                    raw(new byte[] {(byte) (0xc0 | at >>> 8), (byte) (int) at});
                    return;
                }
                if (buf.length < 0x4000) {
                    offsets.putIfAbsent(key, buf.length);
                }
                byte[] label = name.rawLabel(i);
                raw(new byte[] {(byte) label.length});
                raw(label);
            }
            raw(new byte[] {0});
        }

        void rollback(int mark) {
            buf = Arrays.copyOf(buf, mark);
            offsets.values().removeIf(at -> at >= mark);
        }

        byte[] toArray() {
            return buf.clone();
        }

        private static String exact(Name name, int from) {
            StringBuilder b = new StringBuilder();
            for (int i = from; i < name.labelCount(); i++) {
                b.append(Arrays.toString(name.rawLabel(i))).append('|');
            }
            return b.toString();
        }
    }
}
