package jmirage.openvpn.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ControlMessageTest {

    @Property
    void messagesReassembleUnderAnySplit(@ForAll @Size(max = 8) List<@AlphaChars @StringLength(max = 40) String> texts,
            @ForAll @IntRange(min = 1, max = 30) int chunk) {
        Bytes stream = Bytes.EMPTY;
        for (String t : texts) {
            stream = stream.concat(ControlMessage.encode(t));
        }
        ControlMessage.Reassembly r = ControlMessage.Reassembly.EMPTY;
        List<String> got = new ArrayList<>();
        for (int at = 0; at < stream.size(); at += chunk) {
            ControlMessage.Reassembly.Fed fed = r.feed(stream.slice(at, Math.min(at + chunk, stream.size()))).orElseThrow();
            got.addAll(fed.messages());
            r = fed.next();
        }
        assertEquals(texts, got);
    }

    @Test
    void theServersMessagesAreTyped() {
        assertEquals(new ControlMessage.AuthFailed("bad password"), ControlMessage.parse("AUTH_FAILED,bad password").orElseThrow());
        assertEquals(new ControlMessage.AuthFailed(""), ControlMessage.parse("AUTH_FAILED").orElseThrow());
        assertEquals(new ControlMessage.Restart(false, "[P]:server restarting"), ControlMessage.parse("RESTART,[P]:server restarting").orElseThrow());
        assertEquals(new ControlMessage.Restart(true, ""), ControlMessage.parse("HALT").orElseThrow());
        assertTrue(ControlMessage.parse("PUSH_REPLY,ping 5").orElseThrow() instanceof ControlMessage.Push);
        assertFalse(ControlMessage.parse("PUSH_REPLY,ping often").isOk());
        assertEquals(new ControlMessage.Other("INFO,hello"), ControlMessage.parse("INFO,hello").orElseThrow());
        assertFalse(ControlMessage.Reassembly.EMPTY.feed(Bytes.utf8("a".repeat(ControlMessage.Reassembly.MAX_PENDING + 1))).isOk(),
                "an endless message is refused");
    }
}
