package jmirage.core.kv;

/** One child in a {@link Kv#list} answer. */
public record Entry(Key key, EntryKind kind) {}
