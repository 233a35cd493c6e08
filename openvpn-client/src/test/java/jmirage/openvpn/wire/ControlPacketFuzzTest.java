package jmirage.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.openvpn.keys.ControlMessage;
import jmirage.openvpn.keys.KeyMethod2;

/**
 * Arbitrary bytes as control packets from the peer: bare, tls-auth and tls-crypt(-v2) unwrapping,
 * the early-negotiation TLVs, key method 2 message and text messages of a server, and TCP reassembly. Only typed
 * errors come out; a bare packet that reads encodes back to the same bytes.
 */
class ControlPacketFuzzTest {

    private static final StaticKey KEY = WirePropertiesTest.KEY;
    private static final ControlWrap[] WRAPS = {
        new ControlWrap.Plain(),
        ControlWrap.TlsAuth.of(KEY, KeyDirection.NORMAL, Digest.SHA1),
        ControlWrap.TlsAuth.of(KEY, KeyDirection.NORMAL, Digest.SHA256),
        ControlWrap.TlsCrypt.of(KEY, KeyDirection.NORMAL),
    };

    @FuzzTest(maxDuration = "20s")
    void arbitraryPacketsReadOrFailCleanly(FuzzedDataProvider data) {
        int what = data.consumeInt(0, WRAPS.length + 2);
        Bytes input = Bytes.of(data.consumeRemainingAsBytes());
        if (what < WRAPS.length) {
            Result<ControlWrap.Unwrapped, WireError> read = WRAPS[what].unwrap(input);
            if (what == 0 && read instanceof Result.Ok<ControlWrap.Unwrapped, WireError>(ControlWrap.Unwrapped u)) {
                assertEquals(input, ControlCodec.encodePlain(u.packet()));
            }
        } else if (what == WRAPS.length) {
            EarlyNegotiation.parse(input);
            KeyMethod2.parseServer(input);
            ControlMessage.Reassembly.EMPTY.feed(input).map(fed -> fed.messages().stream().map(ControlMessage::parse).toList());
        } else {
            TcpFraming.EMPTY.feed(input).map(fed -> fed.next().feed(input));
        }
    }
}
