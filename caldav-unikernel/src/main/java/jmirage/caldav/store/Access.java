package jmirage.caldav.store;

/** What a user may do with a calendar: nothing, read, read and write its objects, or everything (the owner). */
public enum Access {
    NONE, READ, READ_WRITE, OWNER;

    public boolean canRead() {
        return this != NONE;
    }

    public boolean canWrite() {
        return this == READ_WRITE || this == OWNER;
    }
}
