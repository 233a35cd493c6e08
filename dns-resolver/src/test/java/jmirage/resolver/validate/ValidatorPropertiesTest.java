package jmirage.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;
import jmirage.resolver.core.Security;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * An RRset signed in {@code example.} validates; the same RRset with any single bit of its data or
 * of its signature flipped is bogus (RFC 4035 5.3.3).
 */
class ValidatorPropertiesTest {

    private static final TestWorld WORLD = new TestWorld(Dnssec.ECDSAP256SHA256);
    private static final Validator VALIDATOR = WORLD.validator(ValidatorConfig.defaults());
    private static final Name OWNER = Name.of("txt.example.");

    static List<Record> txt(List<byte[]> strings) {
        List<Record> out = new ArrayList<>();
        for (byte[] s : strings) {
            out.add(Record.in(OWNER, 300, new Rdata.Txt(List.of(Bytes.of(s)))));
        }
        return out;
    }

    static Security validate(List<Record> rrset, Record sig) {
        List<Record> answer = new ArrayList<>(rrset);
        answer.add(sig);
        return VALIDATOR.validate(new Question(OWNER, Type.TXT), TestWorld.answer(answer, List.of())).value().security();
    }

    @Property(tries = 150)
    void anyFlippedBitOfDataOrSignatureIsBogus(@ForAll @Size(min = 1, max = 4) List<@Size(min = 1, max = 40) byte[]> strings,
            @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll boolean inSignature) {
        List<Record> rrset = txt(strings);
        Record sig = WORLD.example.sign(rrset);
        assertEquals(Security.SECURE, validate(rrset, sig));
        if (inSignature) {
            Rdata.Rrsig s = (Rdata.Rrsig) sig.rdata();
            byte[] bytes = s.signature().toArray();
            int bit = where % (bytes.length * 8);
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            Record flipped = new Record(sig.name(), sig.rrClass(), sig.ttl(), new Rdata.Rrsig(s.typeCovered(), s.algorithm(),
                    s.labels(), s.originalTtl(), s.expiration(), s.inception(), s.keyTag(), s.signer(), Bytes.adopt(bytes)));
            assertInstanceOf(Security.Bogus.class, validate(rrset, flipped));
        } else {
            int record = where % strings.size();
            byte[] data = strings.get(record).clone();
            int bit = (where / strings.size()) % (data.length * 8);
            data[bit / 8] ^= (byte) (1 << (bit % 8));
            List<byte[]> changed = new ArrayList<>(strings);
            changed.set(record, data);
            List<Record> flipped = txt(changed);
            // a flip that makes two strings equal leaves a duplicate, which the canonical form drops
            boolean sameSet = flipped.stream().map(Record::rdata).distinct().count() == rrset.stream().map(Record::rdata).distinct().count()
                    && flipped.stream().map(Record::rdata).distinct().allMatch(r -> rrset.stream().anyMatch(x -> x.rdata().equals(r)));
            Security s = validate(flipped, sig);
            if (sameSet) {
                assertEquals(Security.SECURE, s);
            } else {
                assertInstanceOf(Security.Bogus.class, s);
            }
        }
    }
}
