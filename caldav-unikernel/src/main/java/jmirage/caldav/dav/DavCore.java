package jmirage.caldav.dav;

import jmirage.caldav.store.Store;

/**
 * The CalDAV server as a function: a store and a request in, a response, the next store and the
 * batch to commit out. Dispatches on the method; PROPFIND and REPORT go to {@link Propfind} and
 * {@link Reports}. Never throws for anything a client sends: a malformed request is a 4xx with the
 * precondition that names what is wrong, and the store is unchanged.
 */
public final class DavCore {

    private final DavConfig config;

    public DavCore(DavConfig config) {
        this.config = config;
    }

    public DavOutcome handle(Store store, DavRequest request) {
        throw new UnsupportedOperationException("seam: the resources helper implements this");
    }

    public DavConfig config() {
        return config;
    }
}
