package jmirage.dns.client;

import java.time.Duration;
import jmirage.core.net.Endpoint;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;

/** Why {@link TcpExchange} brought back no answer: the connection, the stream or the time limit. */
public sealed interface ExchangeError {

    Endpoint server();

    record Connect(Endpoint server, NetError error) implements ExchangeError {}

    record Send(Endpoint server, FlowError error) implements ExchangeError {}

    record Read(Endpoint server, FlowError error) implements ExchangeError {}

    /** The server closed the connection after {@code received} bytes, before the whole answer. */
    record ClosedEarly(Endpoint server, int received) implements ExchangeError {}

    record TimedOut(Endpoint server, Duration after) implements ExchangeError {}

    /** One line for an operator's log. */
    default String describe() {
        return switch (this) {
            case Connect c -> "connecting to " + c.server() + ": " + c.error().describe();
            case Send s -> "sending to " + s.server() + ": " + s.error();
            case Read r -> "reading from " + r.server() + ": " + r.error();
            case ClosedEarly c -> c.server() + " closed the connection after " + c.received() + " bytes of the answer";
            case TimedOut t -> "no answer from " + t.server() + " within " + t.after().toSeconds() + " s";
        };
    }
}
