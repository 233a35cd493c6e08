package jmirage.authoritative.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.tsig.TsigAlgorithm;
import org.junit.jupiter.api.Test;

class KeysTest {

    static final String SECRET = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    static KeysError err(Result<?, KeysError> r) {
        return ((Result.Err<?, KeysError>) r).error();
    }

    @Test
    void rootKeysFileGivesPrivilegeAndScopeFromTheName() {
        Keys keys = Keys.parse("""
                client._update. DNSKEY 0 3 163 %s
                ns2._transfer.example.org. DNSKEY 0 3 157 %s
                mon._notify.sub.example.org. DNSKEY 0 3 162 %s
                """.formatted(SECRET, SECRET, SECRET), Name.ROOT).orElseThrow();
        assertEquals(3, keys.size());
        Name client = Name.of("client._update.");
        Name ns2 = Name.of("ns2._transfer.example.org.");
        Name mon = Name.of("mon._notify.sub.example.org.");
        assertEquals(TsigAlgorithm.HMAC_SHA256, keys.tsigKey(client).orElseThrow().algorithm());
        assertEquals(TsigAlgorithm.HMAC_MD5, keys.tsigKey(ns2).orElseThrow().algorithm());
        assertEquals(TsigAlgorithm.HMAC_SHA224, keys.tsigKey(mon).orElseThrow().algorithm());
        assertEquals("0123456789abcdef0123456789abcdef", new String(keys.tsigKey(client).orElseThrow().secret().toArray()));
        // a key under the root covers every zone, and update covers transfer and notify
        for (Operation op : Operation.values()) {
            assertTrue(keys.allows(client, op, Name.of("example.org.")));
            assertTrue(keys.allows(client, op, Name.of("other.test.")));
        }
        // transfer: transfer and notify on example.org and below, not update, not elsewhere
        assertTrue(keys.allows(ns2, Operation.TRANSFER, Name.of("example.org.")));
        assertTrue(keys.allows(ns2, Operation.TRANSFER, Name.of("sub.example.org.")));
        assertTrue(keys.allows(ns2, Operation.NOTIFY, Name.of("example.org.")));
        assertFalse(keys.allows(ns2, Operation.UPDATE, Name.of("example.org.")));
        assertFalse(keys.allows(ns2, Operation.TRANSFER, Name.of("example.com.")));
        assertFalse(keys.allows(ns2, Operation.TRANSFER, Name.of("org.")));
        // notify only, on sub.example.org only
        assertTrue(keys.allows(mon, Operation.NOTIFY, Name.of("sub.example.org.")));
        assertFalse(keys.allows(mon, Operation.NOTIFY, Name.of("example.org.")));
        assertFalse(keys.allows(mon, Operation.TRANSFER, Name.of("sub.example.org.")));
        // unknown keys may do nothing; names compare without case
        assertFalse(keys.allows(Name.of("nobody._update."), Operation.NOTIFY, Name.of("example.org.")));
        assertTrue(keys.allows(Name.of("CLIENT._Update."), Operation.UPDATE, Name.of("EXAMPLE.org.")));
    }

    @Test
    void everyOcamlDnsAlgorithmNumberMaps() {
        assertEquals(TsigAlgorithm.HMAC_MD5, Keys.algorithm(157).orElseThrow());
        assertEquals(TsigAlgorithm.HMAC_SHA1, Keys.algorithm(161).orElseThrow());
        assertEquals(TsigAlgorithm.HMAC_SHA224, Keys.algorithm(162).orElseThrow());
        assertEquals(TsigAlgorithm.HMAC_SHA256, Keys.algorithm(163).orElseThrow());
        assertEquals(TsigAlgorithm.HMAC_SHA384, Keys.algorithm(164).orElseThrow());
        assertEquals(TsigAlgorithm.HMAC_SHA512, Keys.algorithm(165).orElseThrow());
        assertTrue(Keys.algorithm(8).isEmpty());
    }

    @Test
    void zoneKeysFileIsRelativeToItsZoneAndCannotReachOutside() {
        Keys keys = Keys.parse("ops._update DNSKEY 0 3 165 " + SECRET + "\n", Name.of("example.org.")).orElseThrow();
        assertTrue(keys.allows(Name.of("ops._update.example.org."), Operation.UPDATE, Name.of("example.org.")));
        assertEquals(new KeysError.OutsideZone(Name.of("evil._update.com."), Name.of("example.org.")),
                err(Keys.parse("evil._update.com. DNSKEY 0 3 163 " + SECRET + "\n", Name.of("example.org."))));
    }

    @Test
    void badKeyFilesAreRefusedWithTheReason() {
        Name client = Name.of("client._update.");
        assertEquals(new KeysError.NotAnHmac(client, 8), err(Keys.parse("client._update. DNSKEY 0 3 8 " + SECRET, Name.ROOT)));
        assertTrue(err(Keys.parse("client._update. DNSKEY 0 3 8 " + SECRET, Name.ROOT)).describe().contains("algorithm 8"));
        assertEquals(new KeysError.NoOperation(Name.of("client.example.")),
                err(Keys.parse("client.example. DNSKEY 0 3 163 " + SECRET, Name.ROOT)));
        assertEquals(new KeysError.NothingBeforeOperation(Name.of("_update.example."), "_update"),
                err(Keys.parse("_update.example. DNSKEY 0 3 163 " + SECRET, Name.ROOT)));
        assertEquals(new KeysError.NotDnskey(client, jmirage.dns.Type.A), err(Keys.parse("client._update. A 192.0.2.1", Name.ROOT)));
        assertEquals(new KeysError.Duplicate(client), err(Keys.parse("client._update. DNSKEY 0 3 163 " + SECRET
                + "\nclient._update. DNSKEY 0 3 164 " + SECRET, Name.ROOT)));
        assertInstanceOf(KeysError.Syntax.class, err(Keys.parse("client._update. DNSKEY 0 3 163 !!notbase64", Name.ROOT)));
    }

    /** Issue 14: tsig-keygen's output appended as it is, beside DNSKEY lines whose numbers stay the operator's. */
    @Test
    void tsigKeygenStatementsAreKeysBesideDnskeyLines() {
        String secretWithSlashes = "ab//cd+/" + SECRET.substring(8);
        Keys keys = Keys.parse("""
                ; sample
                client._update. DNSKEY 0 3 163 %s
                key "ops._update.example.org" {
                	algorithm hmac-sha256;
                	secret "%s"; # the operator's comment
                };
                key xfr._transfer.example.org. { algorithm HMAC-MD5; secret "%s"; };
                """.formatted(SECRET, secretWithSlashes, SECRET), Name.ROOT).orElseThrow();
        assertEquals(3, keys.size());
        var ops = keys.tsigKey(Name.of("ops._update.example.org.")).orElseThrow();
        assertEquals(TsigAlgorithm.HMAC_SHA256, ops.algorithm());
        assertEquals(secretWithSlashes, Base64.getEncoder().encodeToString(ops.secret().toArray()));
        assertTrue(keys.allows(Name.of("ops._update.example.org."), Operation.UPDATE, Name.of("example.org.")));
        assertEquals(TsigAlgorithm.HMAC_MD5, keys.tsigKey(Name.of("xfr._transfer.example.org.")).orElseThrow().algorithm());

        // a DNSKEY line after a statement is still reported at the operator's line
        KeysError afterStatement = err(Keys.parse("""
                key "a._update" {
                  algorithm hmac-sha256;
                  secret "%s";
                };
                b._update. DNSKEY 0 3 163 !!!
                """.formatted(SECRET), Name.ROOT));
        assertInstanceOf(KeysError.Syntax.class, afterStatement);
        assertEquals(5, ((KeysError.Syntax) afterStatement).error().line() - 1);

        assertEquals(new KeysError.BadStatement(2, "key statement without its closing };"),
                err(Keys.parse("\nkey \"a._update\" {\n algorithm hmac-sha256;\n", Name.ROOT)));
        assertEquals(new KeysError.BadStatement(1, "algorithm hmac-sha3 is not a TSIG HMAC (hmac-md5, hmac-sha1, hmac-sha224,"
                + " hmac-sha256, hmac-sha384, hmac-sha512)"),
                err(Keys.parse("key \"a._update\" { algorithm hmac-sha3; secret \"%s\"; };".formatted(SECRET), Name.ROOT)));
        assertEquals(new KeysError.NoOperation(Name.of("plain.")),
                err(Keys.parse("key \"plain\" { algorithm hmac-sha256; secret \"%s\"; };".formatted(SECRET), Name.ROOT)));
        assertEquals(new KeysError.OutsideZone(Name.of("a._update.other.test."), Name.of("example.org.")),
                err(Keys.parse("key \"a._update.other.test\" { algorithm hmac-sha256; secret \"%s\"; };".formatted(SECRET),
                        Name.of("example.org."))));
    }
}
