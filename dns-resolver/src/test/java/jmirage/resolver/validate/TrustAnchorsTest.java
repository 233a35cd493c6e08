package jmirage.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import org.junit.jupiter.api.Test;

class TrustAnchorsTest {

    @Test
    void theDefaultIsTheRootsTwoKskDigests() {
        List<Rdata.Ds> ds = TrustAnchors.root().at(Name.ROOT).stream().map(r -> (Rdata.Ds) r.rdata()).toList();
        assertEquals(List.of(20326, 38696), ds.stream().map(Rdata.Ds::keyTag).toList());
        assertTrue(ds.stream().allMatch(d -> d.algorithm() == 8 && d.digestType() == 2));
        assertEquals(Bytes.fromHex("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"), ds.get(0).digest());
        assertEquals(Bytes.fromHex("683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16"), ds.get(1).digest());
        assertEquals(Optional.of(Name.ROOT), TrustAnchors.root().closest(Name.of("www.example.com.")));
    }

    @Test
    void aFileOfDsAndDnskeyRecordsAnchorsEachZone() {
        TrustAnchors t = TrustAnchors.parse("""
                ; unbound's trust-anchor-file format
                example.com. 3600 IN DS 2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b
                example.net. IN DNSKEY 256 3 5 AQPQ41chR9DEHt/aIzIFAqanbDlRflJoRs5yz1jFsoRIT7dWf0r+PeDuewdxkszNH6wnU4QL8pfKFRh5PIYVBLK3
                """).orElseThrow();
        assertEquals(Optional.of(Name.of("example.com.")), t.closest(Name.of("a.b.example.com.")));
        assertEquals(Optional.of(Name.of("example.net.")), t.closest(Name.of("example.net.")));
        assertEquals(Optional.empty(), t.closest(Name.of("example.org.")));
        assertInstanceOf(Rdata.Dnskey.class, t.at(Name.of("example.net.")).getFirst().rdata());
    }

    @Test
    void badFilesAreTypedErrors() {
        assertInstanceOf(TrustAnchorError.Syntax.class, error(TrustAnchors.parse("example.com. IN DS 2854 3")));
        assertTrue(TrustAnchors.parse(". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D").isOk(),
                "anchors without a TTL, as unbound's files have them");
        TrustAnchorError notAnchor = error(TrustAnchors.parse("example.com. IN A 192.0.2.1"));
        assertInstanceOf(TrustAnchorError.NotAnAnchor.class, notAnchor);
        assertTrue(notAnchor.describe().contains("192.0.2.1"), notAnchor.describe());
        assertInstanceOf(TrustAnchorError.Empty.class, error(TrustAnchors.parse("; nothing\n")));
        assertInstanceOf(TrustAnchorError.Empty.class, error(TrustAnchors.of(List.<Record>of())));
    }

    static TrustAnchorError error(Result<TrustAnchors, TrustAnchorError> r) {
        return assertInstanceOf(Result.Err.class, r) instanceof Result.Err<?, ?>(TrustAnchorError e) ? e : null;
    }
}
