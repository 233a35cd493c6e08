package jmirage.resolver.validate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.ZoneFileError;

/**
 * The configured points of trust (RFC 4033 3.1, RFC 4035 4.4): for each anchored zone, the DS or
 * DNSKEY records its DNSKEY RRset must match. Read from a master file as unbound's
 * {@code trust-anchor-file} is; the default is the root's KSKs.
 */
public record TrustAnchors(Map<Name, List<Record>> byZone) {

    public TrustAnchors {
        Map<Name, List<Record>> copy = new LinkedHashMap<>();
        byZone.forEach((zone, records) -> copy.put(zone, List.copyOf(records)));
        byZone = Map.copyOf(copy);
    }

    /**
     * The root zone's key-signing keys as DS records, from IANA's root-anchors.xml
     * (https://data.iana.org/root-anchors/root-anchors.xml): KSK-2017 (key id Klajeyz, valid from
     * 2017-02-02) and KSK-2024 (key id Kmyv6jo, valid from 2024-07-18), both RSA/SHA-256 with
     * SHA-256 digests.
     */
    public static final String ROOT_ANCHORS = """
            . 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
            . 172800 IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
            """;

    /** The built-in default: the root's current KSKs. */
    public static TrustAnchors root() {
        return parse(ROOT_ANCHORS).orElseThrow();
    }

    /**
     * DS and DNSKEY records in master-file format (relative names are relative to the root). Records
     * may come without a TTL, as in unbound's anchor files: they get {@link #DEFAULT_TTL}.
     */
    public static Result<TrustAnchors, TrustAnchorError> parse(String text) {
        Result<List<Record>, ZoneFileError> parsed = MasterFile.parse(text, Name.ROOT, MasterFile.IncludeResolver.NONE);
        if (parsed instanceof Result.Err<List<Record>, ZoneFileError>(ZoneFileError.NoTtl noTtl)) {
            Result<List<Record>, ZoneFileError> again = MasterFile.parse("$TTL " + DEFAULT_TTL + "\n" + text, Name.ROOT,
                    MasterFile.IncludeResolver.NONE);
            parsed = again.isOk() ? again : parsed; // errors keep the file's own line numbers
        }
        return switch (parsed) {
            case Result.Err<List<Record>, ZoneFileError>(ZoneFileError e) -> Result.err(new TrustAnchorError.Syntax(e));
            case Result.Ok<List<Record>, ZoneFileError>(List<Record> records) -> of(records);
        };
    }

    /** The TTL of anchor records written without one (it only bounds how long keys stay cached). */
    public static final long DEFAULT_TTL = 3600;

    /** Anchors from records already parsed (each DS or DNSKEY). */
    public static Result<TrustAnchors, TrustAnchorError> of(List<Record> records) {
        Map<Name, List<Record>> byZone = new LinkedHashMap<>();
        for (Record r : records) {
            if (!(r.rdata() instanceof Rdata.Ds) && !(r.rdata() instanceof Rdata.Dnskey)) {
                return Result.err(new TrustAnchorError.NotAnAnchor(r.toString()));
            }
            byZone.computeIfAbsent(r.name(), n -> new ArrayList<>()).add(r);
        }
        if (byZone.isEmpty()) {
            return Result.err(new TrustAnchorError.Empty());
        }
        return Result.ok(new TrustAnchors(byZone));
    }

    /** The anchor closest above or at {@code name}: the zone a chain of trust to it starts from. */
    public Optional<Name> closest(Name name) {
        for (int strip = 0; strip <= name.labelCount(); strip++) {
            Name candidate = name.parent(strip);
            if (byZone.containsKey(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The anchor records of {@code zone}, empty if it is not anchored. */
    public List<Record> at(Name zone) {
        return byZone.getOrDefault(zone, List.of());
    }
}
