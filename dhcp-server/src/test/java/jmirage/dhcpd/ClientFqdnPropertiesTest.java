package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dhcpd.core.ClientFqdn;
import jmirage.dhcpd.core.ClientFqdn.FqdnError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Option 81 (RFC 4702 2): any option a client may send reads back as sent, in both encodings; the
 * server's answer says S (and O when the client did not ask for it) in the client's encoding; and
 * the broken forms are their errors.
 */
class ClientFqdnPropertiesTest {

    @Property(tries = 2000)
    void whatAClientSendsReadsBack(@ForAll("fqdns") ClientFqdn sent) {
        assertEquals(Result.<ClientFqdn, FqdnError>ok(sent), ClientFqdn.parse(sent.encode(false)));
    }

    @Property(tries = 500)
    void theAnswerSaysTheServerUpdatesInTheClientsEncoding(@ForAll("fqdns") ClientFqdn sent) {
        List<String> name = List.of("alice", "retreat", "lan");
        Bytes answer = ClientFqdn.answer(sent, name).encode(true);
        assertEquals(255, answer.getUnsigned(1), "RFC 4702 2.2: RCODE1 255 from a server");
        assertEquals(255, answer.getUnsigned(2));
        ClientFqdn read = ClientFqdn.parse(answer).orElseThrow();
        assertTrue(read.serverUpdates(), "S: the server does the A update");
        assertEquals(!sent.serverUpdates(), read.override(), "O: only when the client had not asked for it");
        assertEquals(false, read.noUpdates());
        assertEquals(sent.canonical(), read.canonical());
        assertEquals(name, read.labels());
        assertTrue(read.qualified());
    }

    @Property(tries = 2000)
    void anyBytesParseOrGiveATypedError(@ForAll byte[] data) {
        switch (ClientFqdn.parse(Bytes.of(data))) {
            case Result.Ok<ClientFqdn, FqdnError>(ClientFqdn f) -> assertTrue(f.labels().stream().allMatch(l -> !l.isEmpty() && l.length() <= 63));
            case Result.Err<ClientFqdn, FqdnError>(FqdnError e) -> assertTrue(!e.describe().isEmpty());
        }
    }

    @Example
    void theWireAndAsciiFormsOfOneName() {
        // RFC 4702 2.3.1: E set, labels with their lengths, the root label ends a full name
        ClientFqdn wire = ClientFqdn.parse(Bytes.fromHex("050000" + "05616c696365" + "0772657472656174" + "036c616e" + "00")).orElseThrow();
        assertEquals(new ClientFqdn(true, false, true, false, List.of("alice", "retreat", "lan"), true), wire);
        // no root label: a partial name
        assertEquals(new ClientFqdn(false, false, true, false, List.of("alice"), false),
                ClientFqdn.parse(Bytes.fromHex("040000" + "05616c696365")).orElseThrow());
        // the deprecated ASCII form (E clear), qualified by its final dot; a trailing NUL is dropped
        assertEquals(new ClientFqdn(false, false, false, false, List.of("alice", "lan"), true),
                ClientFqdn.parse(Bytes.fromHex("000000").concat(Bytes.utf8("alice.lan.\0"))).orElseThrow());
        assertEquals(new ClientFqdn(false, false, false, false, List.of(), false), ClientFqdn.parse(Bytes.fromHex("000000")).orElseThrow());
    }

    @Example
    void brokenOptionsAreTheirErrors() {
        assertEquals(Result.err(new FqdnError.TooShort(2)), ClientFqdn.parse(Bytes.fromHex("0500")));
        assertEquals(Result.err(new FqdnError.UpdatesAndNoUpdates()), ClientFqdn.parse(Bytes.fromHex("090000")));
        assertEquals(Result.err(new FqdnError.BadLabel(3)), ClientFqdn.parse(Bytes.fromHex("040000" + "0561")));
        assertEquals(Result.err(new FqdnError.Compressed(3)), ClientFqdn.parse(Bytes.fromHex("040000" + "c00c")));
        assertEquals(Result.err(new FqdnError.TrailingBytes(6)), ClientFqdn.parse(Bytes.fromHex("040000" + "0161" + "00" + "ff")));
        assertInstanceOf(FqdnError.BadLabel.class, asciiError("a..b"));
        assertInstanceOf(FqdnError.TooLong.class, asciiError("a".repeat(64)));
    }

    private static FqdnError asciiError(String name) {
        Result<ClientFqdn, FqdnError> r = ClientFqdn.parse(Bytes.fromHex("000000").concat(Bytes.utf8(name)));
        return r instanceof Result.Err<ClientFqdn, FqdnError>(FqdnError e) ? e : null;
    }

    @Provide
    Arbitrary<ClientFqdn> fqdns() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMinLength(1).ofMaxLength(63);
        Arbitrary<List<String>> labels = label.list().ofMaxSize(3); // at most 193 octets in wire form
        Arbitrary<Integer> flags = Arbitraries.integers().between(0, 15).filter(f -> (f & 0x09) != 0x09);
        return Combinators.combine(flags, labels, Arbitraries.of(true, false)).as((f, l, q) -> {
            boolean canonical = (f & 0x04) != 0;
            // the ASCII form cannot carry a dot or a final NUL inside a label; an empty name is never qualified there
            List<String> usable = canonical ? l : l.stream().map(s -> s.replace('.', '-').replace('\0', '-')).toList();
            boolean qualified = q && (canonical || !usable.isEmpty());
            return new ClientFqdn((f & 0x01) != 0, (f & 0x02) != 0, canonical, (f & 0x08) != 0, usable, qualified);
        });
    }
}
