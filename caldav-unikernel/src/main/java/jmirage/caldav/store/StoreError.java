package jmirage.caldav.store;

import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;

/** Why the calendars cannot be read from the Kv, or a configuration file of the Kv cannot be used. */
public sealed interface StoreError {

    String describe();

    record Unreadable(Key key, KvError cause) implements StoreError {
        public String describe() {
            return "cannot read '" + key + "': " + cause.describe();
        }
    }

    /** A file of the Kv (htpasswd, shares, a collection's properties) with a syntax error at a line (0: the whole file). */
    record BadFile(Key key, int line, String detail) implements StoreError {
        public String describe() {
            return line == 0 ? key + ": " + detail : key + ":" + line + ": " + detail;
        }
    }
}
