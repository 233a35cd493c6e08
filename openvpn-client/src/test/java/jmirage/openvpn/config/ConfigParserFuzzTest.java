package jmirage.openvpn.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.openvpn.keys.PushReply;

/**
 * Arbitrary text as a configuration file (after a valid client's first lines, half the time, so the
 * fuzzer reaches the directives) and as a server's PUSH_REPLY: a configuration or typed errors, a
 * push or a typed error, nothing thrown.
 */
class ConfigParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void arbitraryConfigurationsReadOrFailCleanly(FuzzedDataProvider data) {
        boolean prefixed = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        ConfigParser.parse(prefixed ? ConfigParserTest.BASE + text : text);
        PushReply.parse(PushReply.PREFIX + "," + text);
    }
}
