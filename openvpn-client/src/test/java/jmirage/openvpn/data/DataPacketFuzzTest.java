package jmirage.openvpn.data;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.OptionalInt;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.openvpn.wire.DataPacket;
import jmirage.openvpn.wire.WireError;

/**
 * Arbitrary bytes as data packets, and real packets with bytes changed: the header decodes or is
 * refused, decryption refuses all that is not the peer's, and nothing throws.
 */
class DataPacketFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void arbitraryDataPacketsAreRefusedCleanly(FuzzedDataProvider data) {
        AeadCipher cipher = data.pickValue(AeadCipher.values());
        DataChannel[] pair = DataChannelTest.pair(cipher, OptionalInt.of(5));
        boolean mutate = data.consumeBoolean();
        byte[] input;
        if (mutate) {
            input = pair[0].encrypt(Bytes.of(data.consumeBytes(200))).orElseThrow().toArray();
            int at = data.consumeInt(0, input.length - 1);
            input[at] ^= (byte) data.consumeInt(1, 255);
        } else {
            input = data.consumeRemainingAsBytes();
        }
        Result<DataPacket, WireError> decoded = DataPacket.decode(Bytes.of(input));
        if (decoded instanceof Result.Ok<DataPacket, WireError>(DataPacket packet)) {
            assertFalse(pair[1].decrypt(packet).isOk(), "a forged or changed packet decrypted");
        }
    }
}
