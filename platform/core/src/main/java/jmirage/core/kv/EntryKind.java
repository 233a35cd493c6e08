package jmirage.core.kv;

/** What a key holds: a value, or a dictionary of further keys. */
public enum EntryKind {
    VALUE, DICTIONARY
}
