package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.core.ClientKey;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseCodec;
import jmirage.dhcpd.core.LeaseRecordError;
import jmirage.net.wire.Wire;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The lease record's text is the format of the store (README, "Leases in the Kv") for any lease;
 * and a client key's hash, written by hand, agrees with its equality and spreads keys that differ in
 * their last bytes.
 */
class LeaseCodecPropertiesTest {

    @Property(tries = 2000)
    void aLineIsTheStoredFormatAndReadsBack(@ForAll("leases") Lease l) {
        // The format as the store has always written it, from each part's own text.
        String expected = "v1 " + l.address().getHostAddress() + " " + l.state() + " " + l.until().getEpochSecond() + " "
                + l.mac() + " " + l.client().value().hex();
        assertEquals(expected, LeaseCodec.line(l));
        assertEquals(Result.<Lease, LeaseRecordError>ok(l), LeaseCodec.decodeLine(LeaseCodec.line(l)));
        assertEquals(expected + "\n" + expected + "\n", LeaseCodec.encode(List.of(l, l)).toUtf8());
    }

    @Property(tries = 2000)
    void equalKeysHashAlike(@ForAll byte[] key) {
        ClientKey a = new ClientKey(Bytes.of(key));
        ClientKey b = new ClientKey(Bytes.of(key.clone()));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Property(tries = 5)
    void keysOfMacsThatDifferInTheirLastTwoBytesHashApart(@ForAll long prefix) {
        // Bytes.hashCode (31 * h + b) gives these 65,536 keys 8,161 hashes; a HashMap by client then
        // degenerates into tree bins searched in full (ClientKey is not Comparable).
        Set<Integer> hashes = new HashSet<>();
        for (int last = 0; last < 65536; last++) {
            hashes.add(ClientKey.ofMac(new MacAddress((prefix & 0xffff_ffff_0000L) | last)).hashCode());
        }
        assertTrue(hashes.size() > 65000, hashes.size() + " distinct hashes of 65536 keys");
    }

    @Provide
    Arbitrary<Lease> leases() {
        Arbitrary<Integer> address = Arbitraries.integers();
        Arbitrary<byte[]> client = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
        Arbitrary<Long> mac = Arbitraries.longs().between(0, 0xffff_ffff_ffffL);
        Arbitrary<Lease.State> state = Arbitraries.of(Lease.State.class);
        Arbitrary<Long> end = Arbitraries.longs().between(-99_999_999_999L, 99_999_999_999L);
        return Combinators.combine(address, client, mac, state, end).as((a, c, m, s, e) ->
                new Lease(Wire.ipv4(a), new ClientKey(Bytes.of(c)), new MacAddress(m), s, Instant.ofEpochSecond(e)));
    }
}
