package jmirage.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import org.junit.jupiter.api.Test;

class ListeningTest {

    private static final class Port implements TcpListener {
        final Endpoint local;
        boolean closed;

        Port(int port) {
            local = new Endpoint(InetAddress.ofLiteral("127.0.0.1"), port);
        }

        @Override
        public Endpoint local() {
            return local;
        }

        @Override
        public Promise<Unit> close() {
            closed = true;
            return Promise.resolved(Unit.UNIT);
        }
    }

    private static Listening.Opening ok(String what, Port port) {
        return new Listening.Opening(what, Promise.resolved(Result.ok(port)));
    }

    private static Listening.Opening inUse(String what, int port) {
        return new Listening.Opening(what, Promise.resolved(
                Result.err(new NetError.AddressInUse(new Endpoint(InetAddress.ofLiteral("127.0.0.1"), port)))));
    }

    private static Result<List<TcpListener>, String> settled(Promise<Result<List<TcpListener>, String>> p) {
        Object[] out = new Object[1];
        p.onSuccess(r -> out[0] = r);
        @SuppressWarnings("unchecked")
        Result<List<TcpListener>, String> r = (Result<List<TcpListener>, String>) out[0];
        return r;
    }

    @Test
    void everyListenerInOrderWhenAllOpen() {
        Port http = new Port(8080);
        Port https = new Port(8443);
        assertEquals(Result.ok(List.of(http, https)), settled(Listening.all(List.of(ok("--http-port 8080", http), ok("--https-port 8443", https)))));
        assertFalse(http.closed || https.closed);
    }

    @Test
    void oneFailureClosesTheOpenedOnesAndEveryFailureIsNamed() {
        Port http = new Port(8080);
        Result<List<TcpListener>, String> r = settled(Listening.all(List.of(
                inUse("--metrics 9100", 9100), ok("--http-port 8080", http), inUse("--https-port 8443", 8443))));
        assertEquals(Result.err("cannot listen on --metrics 9100: 127.0.0.1:9100 is already in use; "
                + "cannot listen on --https-port 8443: 127.0.0.1:8443 is already in use"), r);
        assertTrue(http.closed, "the listener that did open is closed again");
    }
}
