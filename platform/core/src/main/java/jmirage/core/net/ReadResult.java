package jmirage.core.net;

import jmirage.core.Bytes;

/** What one {@link Flow#read} brings: some bytes, or the end of the peer's stream. */
public sealed interface ReadResult {

    record Data(Bytes bytes) implements ReadResult {}

    record Eof() implements ReadResult {}

    ReadResult EOF = new Eof();
}
