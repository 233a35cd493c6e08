package jmirage.caldav.xml;

import java.util.Objects;

/** Character data (entities of the XML spec resolved, CDATA included). */
public record Text(String text) implements Node {
    public Text {
        Objects.requireNonNull(text);
    }
}
