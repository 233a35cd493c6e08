package jmirage.dns;

/** A master-file token: its text with escapes still in place, and whether it was quoted. */
public record Token(String text, boolean quoted) {
    public static Token plain(String text) {
        return new Token(text, false);
    }
}
