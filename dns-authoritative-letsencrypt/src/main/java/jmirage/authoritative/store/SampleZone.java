package jmirage.authoritative.store;

/**
 * What an empty store is seeded with, so the server answers with no setup: a zone
 * {@code example.test} (RFC 2606 reserves .test) with every common record type, a delegation with
 * glue, a wildcard, a CNAME chain and a DNAME, and a {@code _keys} file with TEST keys whose secret
 * is printed here and in the README: anyone can use them, so replace them before going public.
 */
public final class SampleZone {

    private SampleZone() {}

    public static final String ZONE_FILE = "example.test";
    public static final String KEYS_FILE = "_keys";

    /** The TEST secret (base64 of "jmirage sample key: NOT A SECRET"). */
    public static final String TEST_SECRET = "am1pcmFnZSBzYW1wbGUga2V5OiBOT1QgQSBTRUNSRVQ=";

    public static final jmirage.core.Bytes TEST_SECRET_BYTES = jmirage.core.Bytes.of(
            java.util.Base64.getDecoder().decode(TEST_SECRET));

    public static final String ZONE = """
            $ORIGIN example.test.
            $TTL 3600
            @           SOA   ns1 hostmaster 2026010101 7200 900 1209600 300
            @           NS    ns1
            @           NS    ns2
            @           A     192.0.2.1
            @           AAAA  2001:db8::1
            @           MX    10 mail
            @           TXT   "v=spf1 mx -all"
            @           CAA   0 issue "letsencrypt.org"
            ns1         A     192.0.2.53
            ns1         AAAA  2001:db8::53
            ns2         A     192.0.2.54
            mail        A     192.0.2.25
            www         CNAME web
            web         CNAME host
            host        A     192.0.2.80
            host        AAAA  2001:db8::80
            host        SSHFP 1 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            _sip._tcp   SRV   10 60 5060 host
            _443._tcp.www TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            80.2.0.192.in-addr PTR host
            svc         HTTPS 1 . alpn="h2,h3"
            naptr       NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@example.test!" .
            *.wild      A     192.0.2.99
            *.wild      TXT   "wildcard"
            sub         NS    ns.sub
            sub         DS    12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            ns.sub      A     192.0.2.100
            old         DNAME new.example.test.
            new         A     192.0.2.60
            a.new       A     192.0.2.61
            """;

    public static final String KEYS = """
            ; TEST keys of the sample zone. The secret is public: replace these before real use.
            ; nsupdate -y hmac-sha256:test._update.example.test:%s
            test._update.example.test.   DNSKEY 0 3 163 %s
            test._transfer.example.test. DNSKEY 0 3 163 %s
            """.formatted(TEST_SECRET, TEST_SECRET, TEST_SECRET);
}
