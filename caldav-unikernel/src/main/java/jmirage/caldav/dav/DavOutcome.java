package jmirage.caldav.dav;

import java.util.Optional;
import jmirage.caldav.store.Store;
import jmirage.core.kv.Batch;
import jmirage.http.HttpResponse;

/**
 * What the core decided: the response, the store after the request, and the one batch that makes
 * the change durable (empty for a request that changed nothing). The shell commits the batch and
 * answers only once the commit succeeded (a 201 means stored); the batch's author is the user and
 * its message "USER via caldav: METHOD PATH".
 */
public record DavOutcome(HttpResponse response, Store store, Optional<Batch> batch) {

    public static DavOutcome unchanged(HttpResponse response, Store store) {
        return new DavOutcome(response, store, Optional.empty());
    }
}
