package jmirage.certify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.DecodeError;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Rdata;
import jmirage.dns.Record;

/**
 * What the server answers, arbitrary: the bytes read as the answer to our TLSA query (raw, and
 * with our ID and question put in so the records get read), and as TLSA records of any usage and
 * data (CSRs and certificates from the network): only values come out, and a certificate taken as
 * current is one the verdict calls usable.
 */
class TlsaAnswerFuzzTest {

    static final Message QUERY = CertifyCore.query(CertifyCoreTest.CONFIG, 0x1234);

    @FuzzTest(maxDuration = "20s")
    void answersGiveValuesOnly(byte[] input) throws Exception {
        Bytes wire = Bytes.of(input);
        check(CertifyCore.answer(QUERY, wire));
        if (MessageCodec.decode(wire) instanceof Result.Ok<Message, DecodeError>(Message m)) {
            Header h = m.header();
            Message ours = new Message(new Header(QUERY.header().id(), true, h.opcode(), h.aa(), false, h.rd(), h.ra(), h.z(),
                    h.ad(), h.cd(), h.rcode() & 0xf), QUERY.questions(), m.answers(), m.authority(), m.additional(), m.edns());
            check(CertifyCore.answer(QUERY, MessageCodec.encode(ours)));
        }
        List<Record> records = new ArrayList<>();
        int at = 0;
        while (at + 5 <= input.length) {
            int length = (input[at + 3] & 0xff) << 8 | input[at + 4] & 0xff;
            int end = Math.min(input.length, at + 5 + length);
            records.add(Record.in(CertifyCoreTest.CONFIG.recordName(), 300,
                    new Rdata.Tlsa(input[at] & 3, input[at + 1] & 0xff, input[at + 2] & 1, wire.slice(at + 5, end))));
            at = end;
        }
        observe(records);
    }

    private static void check(Result<List<Record>, CertifyError> read) throws Exception {
        switch (read) {
            case Result.Ok<List<Record>, CertifyError>(List<Record> records) -> observe(records);
            case Result.Err<List<Record>, CertifyError>(CertifyError e) -> assertTrue(!e.describe().isEmpty());
        }
    }

    private static void observe(List<Record> records) throws Exception {
        CertifyCore.Observation seen = CertifyCore.observe(CertifyCoreTest.NOW, CertifyCoreTest.spki(CertifyCoreTest.KEY),
                CertifyCoreTest.NAMES, records);
        Optional<jmirage.tls.x509.Certificate> leaf = seen.current().map(List::getFirst);
        assertTrue(leaf.isEmpty() || CertifyCore.verdict(CertifyCoreTest.NOW, CertifyCoreTest.spki(CertifyCoreTest.KEY),
                CertifyCoreTest.NAMES, leaf.get()) instanceof CertifyCore.Verdict.Usable);
        assertTrue(seen.staleCsrs().size() + seen.ignored().size() <= records.size());
    }
}
