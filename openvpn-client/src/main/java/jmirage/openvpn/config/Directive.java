package jmirage.openvpn.config;

import java.util.List;
import java.util.Optional;

/**
 * One directive of a configuration file: its name and parameters as OpenVPN's parse_line splits
 * them, or an inline block ({@code <ca>...</ca>}), whose text is the directive's content.
 *
 * @param line   where it starts, from 1
 * @param inline the text between {@code <name>} and {@code </name>}, for an inline block
 */
public record Directive(int line, String name, List<String> parameters, Optional<String> inline) {

    public Directive {
        parameters = List.copyOf(parameters);
    }

    public int count() {
        return parameters.size();
    }

    public String parameter(int index) {
        return parameters.get(index);
    }
}
