package jmirage.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;

class ReferralProofsTest {

    static final Name COM = Name.of("com."), CHILD = Name.of("example.com.");
    static final long SECOND = 1_000_000_000L;

    static Message referral(List<Record> authority) {
        return new Message(new Header(1, true, 0, false, false, false, false, false, false, false, Header.NOERROR),
                List.of(new Question(Name.of("www.example.com."), Type.A)), List.of(), authority, List.of(), Optional.empty());
    }

    @Test
    void theDsBesideAReferralAnswersTheDsQuestionUntilItsTtlRunsOut() {
        Record ns = Record.in(CHILD, 3600, new Rdata.Ns(Name.of("ns.example.com.")));
        Record ds = Record.in(CHILD, 600, new Rdata.Ds(1, 13, 2, Bytes.of(new byte[32])));
        Record sig = Record.in(CHILD, 600, new Rdata.Rrsig(Type.DS, 13, 2, 600, 2, 1, 7, COM, Bytes.of(new byte[64])));
        ReferralProofs proofs = new ReferralProofs(10);
        proofs.referral(COM, CHILD, referral(List.of(ns, ds, sig)), 86_400, 0);
        Answer a = proofs.answer(new Question(CHILD, Type.DS), 599 * SECOND).orElseThrow();
        assertEquals(List.of(ds, sig), a.message().answers());
        assertEquals(COM, a.zone());
        assertEquals(Optional.empty(), proofs.answer(new Question(CHILD, Type.DS), 600 * SECOND));
        assertEquals(Optional.empty(), proofs.answer(new Question(CHILD, Type.A), 0));
    }

    @Test
    void anNsecDenialIsKeptAndAReferralWithNeitherIsNot() {
        Record nsec = Record.in(CHILD, 300, new Rdata.Nsec(Name.of("f.com."), List.of(Type.NS, Type.NSEC, Type.RRSIG)));
        ReferralProofs proofs = new ReferralProofs(10);
        proofs.referral(COM, CHILD, referral(List.of(nsec)), 86_400, 0);
        assertEquals(List.of(nsec), proofs.answer(new Question(CHILD, Type.DS), 0).orElseThrow().message().authority());
        Name other = Name.of("other.com.");
        proofs.referral(COM, other, referral(List.of(Record.in(other, 300, new Rdata.Ns(Name.of("ns.other.com."))))), 86_400, 0);
        assertTrue(proofs.answer(new Question(other, Type.DS), 0).isEmpty());
    }
}
