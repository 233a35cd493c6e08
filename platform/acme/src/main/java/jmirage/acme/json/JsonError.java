package jmirage.acme.json;

/**
 * Why a text is not the JSON we accept: where (a byte offset into the input) and why.
 *
 * @param position the byte offset at which the parser stopped
 * @param reason   what it found there
 */
public record JsonError(int position, String reason) {

    public String describe() {
        return "invalid JSON at byte " + position + ": " + reason;
    }
}
