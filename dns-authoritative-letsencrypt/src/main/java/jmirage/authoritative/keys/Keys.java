package jmirage.authoritative.keys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.ZoneFileError;

/**
 * The TSIG keys a server knows, immutable, as robur's dns-primary-git keeps them: DNSKEY records in
 * a {@code _keys} file (names absolute, any zone) or a {@code ZONE._keys} file (names relative to
 * ZONE and within it), one key per owner name, the DNSKEY algorithm field naming the HMAC and the
 * public key field holding the secret: {@code client._update. DNSKEY 0 3 163 BASE64SECRET}.
 */
public final class Keys {

    public static final Keys NONE = new Keys(Map.of());

    private final Map<Name, KeyEntry> byName;

    private Keys(Map<Name, KeyEntry> byName) {
        this.byName = Map.copyOf(byName);
    }

    /**
     * Parses a keys file. {@code origin} is the root for {@code _keys} and ZONE for
     * {@code ZONE._keys}; in the latter every key must lie within ZONE (its scope cannot reach
     * beyond the zone whose file holds it). Any bad record fails the whole file.
     */
    public static Result<Keys, KeysError> parse(String text, Name origin) {
        // tsig-keygen's key statements first (their lines blanked), then the DNSKEY lines
        BindKeyStatements.Extracted extracted;
        switch (BindKeyStatements.extract(text)) {
            case Result.Err<BindKeyStatements.Extracted, BindKeyStatements.Malformed>(var m) -> {
                return Result.err(new KeysError.BadStatement(m.line(), m.reason()));
            }
            case Result.Ok<BindKeyStatements.Extracted, BindKeyStatements.Malformed>(var e) -> extracted = e;
        }
        List<KeyEntry> entries = new ArrayList<>();
        for (BindKeyStatements.Statement st : extracted.statements()) {
            var entry = entry(st, origin);
            if (entry instanceof Result.Err<KeyEntry, KeysError> err) {
                return Result.err(err.error());
            }
            entries.add(entry.orElseThrow());
        }
        // robur's key files carry no TTL (a key has none); a $TTL line in front gives one, and
        // KeysError.Syntax shifts error lines back to the operator's numbering
        var parsed = MasterFile.parse("$TTL 0\n" + extracted.rest(), origin, MasterFile.IncludeResolver.NONE);
        if (parsed instanceof Result.Err<List<Record>, ZoneFileError>(ZoneFileError e)) {
            return Result.err(new KeysError.Syntax(e));
        }
        for (Record r : parsed.orElseThrow()) {
            if (!(r.rdata() instanceof Rdata.Dnskey k)) {
                return Result.err(new KeysError.NotDnskey(r.name(), r.type()));
            }
            if (!r.name().isSubdomainOf(origin)) {
                return Result.err(new KeysError.OutsideZone(r.name(), origin));
            }
            var entry = entry(r.name(), k);
            if (entry instanceof Result.Err<KeyEntry, KeysError> err) {
                return Result.err(err.error());
            }
            entries.add(entry.orElseThrow());
        }
        Map<Name, KeyEntry> map = new LinkedHashMap<>();
        for (KeyEntry e : entries) {
            if (map.put(e.name(), e) != null) {
                return Result.err(new KeysError.Duplicate(e.name()));
            }
        }
        return Result.ok(new Keys(map));
    }

    /** One key from a {@code tsig-keygen} statement: its name is absolute, as in BIND, and within {@code origin}. */
    private static Result<KeyEntry, KeysError> entry(BindKeyStatements.Statement st, Name origin) {
        String written = st.name().endsWith(".") ? st.name() : st.name() + ".";
        if (!(Name.parse(written) instanceof Result.Ok<Name, ?>(Name name))) {
            return Result.err(new KeysError.BadStatement(st.line(), "key name " + st.name() + " is not a domain name"));
        }
        if (!name.isSubdomainOf(origin)) {
            return Result.err(new KeysError.OutsideZone(name, origin));
        }
        // BIND's names of the HMACs (RFC 8945 6: hmac-md5 is hmac-md5.sig-alg.reg.int. on the wire)
        Optional<TsigAlgorithm> alg = Optional.ofNullable(switch (st.algorithm().toLowerCase(java.util.Locale.ROOT)) {
            case "hmac-md5" -> TsigAlgorithm.HMAC_MD5;
            case "hmac-sha1" -> TsigAlgorithm.HMAC_SHA1;
            case "hmac-sha224" -> TsigAlgorithm.HMAC_SHA224;
            case "hmac-sha256" -> TsigAlgorithm.HMAC_SHA256;
            case "hmac-sha384" -> TsigAlgorithm.HMAC_SHA384;
            case "hmac-sha512" -> TsigAlgorithm.HMAC_SHA512;
            default -> null;
        });
        if (alg.isEmpty()) {
            return Result.err(new KeysError.BadStatement(st.line(), "algorithm " + st.algorithm()
                    + " is not a TSIG HMAC (hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512)"));
        }
        byte[] secret;
        try {
            secret = java.util.Base64.getDecoder().decode(st.secret());
        } catch (IllegalArgumentException notBase64) {
            return Result.err(new KeysError.BadStatement(st.line(), "the secret of " + name + " is not base64"));
        }
        return entry(name, alg.get(), jmirage.core.Bytes.of(secret));
    }

    /** One key from its owner name and DNSKEY record. */
    public static Result<KeyEntry, KeysError> entry(Name name, Rdata.Dnskey dnskey) {
        Optional<TsigAlgorithm> alg = algorithm(dnskey.algorithm());
        if (alg.isEmpty()) {
            return Result.err(new KeysError.NotAnHmac(name, dnskey.algorithm()));
        }
        return entry(name, alg.get(), dnskey.publicKey());
    }

    private static Result<KeyEntry, KeysError> entry(Name name, TsigAlgorithm alg, jmirage.core.Bytes secret) {
        if (secret.isEmpty()) {
            return Result.err(new KeysError.EmptySecret(name));
        }
        // ocaml-dns: the label naming the operation; the zone is what follows it towards the root
        for (int i = 0; i < name.labelCount(); i++) {
            String label = new String(name.label(i), StandardCharsets.US_ASCII);
            Optional<Operation> op = Operation.ofLabel(label);
            if (op.isPresent()) {
                if (i == 0) {
                    return Result.err(new KeysError.NothingBeforeOperation(name, label));
                }
                return Result.ok(new KeyEntry(new TsigKey(name, alg, secret), op.get(),
                        name.parent(i + 1)));
            }
        }
        return Result.err(new KeysError.NoOperation(name));
    }

    /** The DNSKEY algorithm numbers ocaml-dns gives the TSIG HMACs. */
    public static Optional<TsigAlgorithm> algorithm(int number) {
        return Optional.ofNullable(switch (number) {
            case 157 -> TsigAlgorithm.HMAC_MD5;
            case 161 -> TsigAlgorithm.HMAC_SHA1;
            case 162 -> TsigAlgorithm.HMAC_SHA224;
            case 163 -> TsigAlgorithm.HMAC_SHA256;
            case 164 -> TsigAlgorithm.HMAC_SHA384;
            case 165 -> TsigAlgorithm.HMAC_SHA512;
            default -> null;
        });
    }

    /** These keys and {@code other}'s; a name in both takes {@code other}'s key. */
    public Keys with(Keys other) {
        Map<Name, KeyEntry> map = new LinkedHashMap<>(byName);
        map.putAll(other.byName);
        return new Keys(map);
    }

    public Optional<KeyEntry> find(Name keyName) {
        return Optional.ofNullable(byName.get(keyName));
    }

    /** The TSIG key of that name, for {@code Tsig.verifyRequest}. */
    public Optional<TsigKey> tsigKey(Name keyName) {
        return find(keyName).map(KeyEntry::key);
    }

    /** Whether the key named {@code keyName} exists and may do {@code operation} on {@code zone}. */
    public boolean allows(Name keyName, Operation operation, Name zone) {
        return find(keyName).map(e -> e.allows(operation, zone)).orElse(false);
    }

    /** The names of the keys whose secret is {@code secret}. */
    public List<Name> withSecret(jmirage.core.Bytes secret) {
        return byName.values().stream().filter(e -> e.key().secret().equals(secret)).map(KeyEntry::name).toList();
    }

    public int size() {
        return byName.size();
    }

    @Override
    public String toString() {
        return "Keys" + byName.keySet();
    }
}
