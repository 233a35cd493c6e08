package jmirage.dns;

/** Why bytes did not decode: the offset where decoding stopped and the reason. */
public record DecodeError(int offset, String reason) {
    @Override
    public String toString() {
        return "at byte " + offset + ": " + reason;
    }
}
