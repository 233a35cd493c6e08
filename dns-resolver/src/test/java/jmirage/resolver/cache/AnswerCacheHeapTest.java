package jmirage.resolver.cache;

import static jmirage.resolver.cache.Answers.SECOND;
import static jmirage.resolver.cache.Answers.a;
import static jmirage.resolver.cache.Answers.q;
import static jmirage.resolver.cache.Answers.soa;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import jmirage.core.Bytes;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;
import org.junit.jupiter.api.Test;

/**
 * {@code --cache-size} bounds memory: what the answer cache counts for its entries is, within a
 * quarter either way, what they hold in this JVM's heap, measured after full collections for 20,000
 * entries of each shape a validating resolver caches (signed and unsigned addresses, a CNAME chain,
 * an NXDOMAIN proved by NSEC3, a DNSKEY set), each served once so that its copy last served is there
 * too. Counted by wire bytes, as until 2026-12-07, the heap was 1.97 to 2.46 times the count: a full
 * default cache of "64 MB" took up to 157 MiB, and one sized to the machine could outgrow the heap.
 */
class AnswerCacheHeapTest {

    private static final int ENTRIES = 20_000;

    private static Bytes bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return Bytes.of(b);
    }

    private static Record rrsig(String owner, int covered, int seed) {
        return Record.in(Name.of(owner), 3600, new Rdata.Rrsig(covered, 13, Name.of(owner).labelCount(), 3600, 2_000_000_000L,
                1_700_000_000L, 12345, Name.of("bulk.example."), bytes(64, seed)));
    }

    private static Record aaaa(String owner, int seed) {
        try {
            byte[] address = bytes(16, seed).toArray();
            return Record.in(Name.of(owner), 3600, new Rdata.Aaaa((Inet6Address) InetAddress.getByAddress(address)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Resolution answer(String name, int type, List<Record> answer, List<Record> authority, int rcode) {
        return new Resolution(q(name, type), rcode, answer, authority, List.of(), Security.SECURE, Optional.empty(), false);
    }

    private record Shape(String what, IntFunction<Resolution> make) {}

    private static final List<Shape> SHAPES = List.of(
            new Shape("unsigned A", i -> answer("h" + i + ".bulk.example.", Type.A, List.of(a("h" + i + ".bulk.example.", 3600, i)),
                    List.of(), Header.NOERROR)),
            new Shape("signed A", i -> answer("h" + i + ".bulk.example.", Type.A, List.of(a("h" + i + ".bulk.example.", 3600, i),
                    rrsig("h" + i + ".bulk.example.", Type.A, i)), List.of(), Header.NOERROR)),
            new Shape("signed AAAA, two addresses", i -> answer("v" + i + ".bulk.example.", Type.AAAA, List.of(
                    aaaa("v" + i + ".bulk.example.", i), aaaa("v" + i + ".bulk.example.", i + 1),
                    rrsig("v" + i + ".bulk.example.", Type.AAAA, i)), List.of(), Header.NOERROR)),
            new Shape("signed CNAME chain", i -> answer("www" + i + ".bulk.example.", Type.A, List.of(
                    Record.in(Name.of("www" + i + ".bulk.example."), 3600, new Rdata.Cname(Name.of("cdn" + i + ".provider.example."))),
                    rrsig("www" + i + ".bulk.example.", Type.CNAME, i),
                    a("cdn" + i + ".provider.example.", 300, i), rrsig("cdn" + i + ".provider.example.", Type.A, i + 1)),
                    List.of(), Header.NOERROR)),
            new Shape("NXDOMAIN with NSEC3", i -> answer("nx" + i + ".bulk.example.", Type.A, List.of(), List.of(
                    soa("bulk.example.", 3600, 300), rrsig("bulk.example.", Type.SOA, i),
                    nsec3(i), rrsig(hashed(i) + ".bulk.example.", Type.NSEC3, i),
                    nsec3(i + 7), rrsig(hashed(i + 7) + ".bulk.example.", Type.NSEC3, i + 7)), Header.NXDOMAIN)),
            new Shape("DNSKEY set", i -> answer("z" + i + ".example.", Type.DNSKEY, List.of(
                    Record.in(Name.of("z" + i + ".example."), 3600, new Rdata.Dnskey(257, 3, 13, bytes(64, i))),
                    Record.in(Name.of("z" + i + ".example."), 3600, new Rdata.Dnskey(256, 3, 13, bytes(64, i + 1))),
                    rrsig("z" + i + ".example.", Type.DNSKEY, i)), List.of(), Header.NOERROR)));

    private static String hashed(int i) {
        return String.format("%032x", (long) i * 0x9E3779B97F4A7C15L).substring(0, 32);
    }

    private static Record nsec3(int i) {
        return Record.in(Name.of(hashed(i) + ".bulk.example."), 300, new Rdata.Nsec3(1, 0, 0, Bytes.of(new byte[0]), bytes(20, i),
                List.of(Type.A, Type.AAAA, Type.RRSIG)));
    }

    @Test
    void theBoundCountsWhatTheEntriesHoldInTheHeap() {
        List<String> ratios = new ArrayList<>();
        boolean within = true;
        for (Shape shape : SHAPES) {
            long before = Answers.heapAfterCollections();
            AnswerCache cache = new AnswerCache(AnswerCache.Config.defaults().withMaxBytes(1L << 40));
            for (int i = 0; i < ENTRIES; i++) {
                cache.put(shape.make().apply(i), 0);
            }
            for (int i = 0; i < ENTRIES; i++) {
                Resolution r = shape.make().apply(i);
                assertTrue(cache.get(r.question(), 2 * SECOND).isPresent(), shape.what());
            }
            long held = Answers.heapAfterCollections() - before;
            double ratio = (double) held / cache.bytes();
            Reference.reachabilityFence(cache);
            ratios.add(String.format("%s: heap %.1f MB, counted %.1f MB, %.2f", shape.what(), held / 1e6, cache.bytes() / 1e6, ratio));
            within &= ratio >= 0.75 && ratio <= 1.25;
        }
        System.out.println("answer cache, heap against count: " + ratios);
        assertTrue(within, ratios::toString);
    }
}
