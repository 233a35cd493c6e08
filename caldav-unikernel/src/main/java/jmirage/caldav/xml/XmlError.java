package jmirage.caldav.xml;

/** Why a request body is not an XML document this server reads. Each is answered 400 (RFC 4918 8.2). */
public sealed interface XmlError {

    String describe();

    /** Not well-formed XML, or not UTF-8. */
    record Malformed(String detail) implements XmlError {
        public String describe() {
            return "malformed XML: " + detail;
        }
    }

    /** A document type declaration: refused whole, so no entity is ever defined or expanded (XXE, billion laughs). */
    record DoctypeRefused() implements XmlError {
        public String describe() {
            return "a document type declaration (DOCTYPE) is not accepted";
        }
    }

    /** Deeper, or with more elements or characters, than {@link XmlReader.Limits} allow. */
    record TooLarge(String what, long limit) implements XmlError {
        public String describe() {
            return "XML body has too many " + what + " (limit " + limit + ")";
        }
    }

    /** Empty body where an XML document is required. */
    record Empty() implements XmlError {
        public String describe() {
            return "empty body where an XML document is required";
        }
    }
}
