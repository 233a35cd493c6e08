package jmirage.openvpn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Any parameters, written as OpenVPN would read them back (double quotes, backslash escapes), split back into themselves. */
class ConfigLexerPropertiesTest {

    @Property
    void quotedParametersReadBack(@ForAll @Size(min = 1, max = ConfigLexer.MAX_PARAMETERS) List<
            @StringLength(max = 20) @CharRange(from = ' ', to = '~') @Chars({'\t', 'é', '\u2028'}) String> parameters) {
        String line = parameters.stream()
                .map(p -> "\"" + p.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(" "));
        assertEquals(parameters, ConfigLexer.splitLine(line).orElseThrow());
    }

    @Property
    void plainWordsSplitOnAsciiSpaceOnly(@ForAll @Size(min = 1, max = 10) List<
            @StringLength(min = 1, max = 10) @CharRange(from = 'a', to = 'z') @Chars({'é', '\u2028', '-', '.'}) String> words) {
        assertEquals(words, ConfigLexer.splitLine(" " + String.join(" \t ", words) + "\r").orElseThrow());
    }
}
