package jmirage.http;

import jmirage.core.Promise;

/**
 * Service code: answers one request. Runs on the event loop; a rejected promise (or a thrown
 * exception) is a bug, answered with 500 and a closed connection.
 */
@FunctionalInterface
public interface Handler {

    Promise<HttpResponse> handle(HttpRequest request);
}
