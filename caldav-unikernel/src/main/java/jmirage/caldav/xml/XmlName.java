package jmirage.caldav.xml;

import java.util.Objects;

/** A namespaced XML name: {@code {DAV:}getetag}. The empty namespace is "". */
public record XmlName(String namespace, String local) implements Comparable<XmlName> {

    public XmlName {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(local);
    }

    /** Parses Clark notation, {@code {namespace}local} or {@code local}. */
    public static XmlName clark(String text) {
        if (text.startsWith("{")) {
            int close = text.indexOf('}');
            return new XmlName(text.substring(1, close), text.substring(close + 1));
        }
        return new XmlName("", text);
    }

    @Override
    public int compareTo(XmlName other) {
        int c = namespace.compareTo(other.namespace);
        return c != 0 ? c : local.compareTo(other.local);
    }

    @Override
    public String toString() {
        return "{" + namespace + "}" + local;
    }
}
