package jmirage.host;

import io.netty.channel.ConnectTimeoutException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import jmirage.core.net.Endpoint;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;

/**
 * Turns the exceptions of the JDK and Netty into the error values of the core.
 *
 * <p>Both report most errno values only as the C library's text ({@code BindException}, {@code
 * ConnectException}, Netty's {@code NativeIoException} from epoll), so that text is what is matched.
 */
final class Failures {

    private Failures() {}

    /** Why binding or connecting to {@code endpoint} failed. */
    static NetError net(Throwable cause, Endpoint endpoint) {
        if (cause instanceof ClosedChannelException) {
            return new NetError.Closed();
        }
        String text = text(cause);
        if (cause instanceof ConnectTimeoutException || text.contains("timed out")) {
            return new NetError.TimedOut(endpoint);
        }
        if (text.contains("Address already in use")) {
            return new NetError.AddressInUse(endpoint);
        }
        if (text.contains("Permission denied")) {
            return new NetError.PermissionDenied(endpoint);
        }
        // A reset while connecting comes from a listener closing with the connection in its backlog:
        // to the caller, a refusal.
        if (text.contains("Connection refused") || text.contains("Connection reset")) {
            return new NetError.Refused(endpoint);
        }
        if (cause instanceof NoRouteToHostException || text.contains("unreachable") || text.contains("No route to host")) {
            return new NetError.Unreachable(endpoint);
        }
        return new NetError.Io(endpoint + ": " + text);
    }

    /** Why a send to {@code endpoint} failed, from its errno (the host's own UDP sockets, {@link EpollUdpSocket}). */
    static NetError net(int errno, Endpoint endpoint) {
        return switch (errno) {
            case Libc.EACCES, Libc.EPERM -> new NetError.PermissionDenied(endpoint);
            case Libc.ECONNREFUSED -> new NetError.Refused(endpoint);
            case Libc.ENETUNREACH, Libc.EHOSTUNREACH -> new NetError.Unreachable(endpoint);
            default -> new NetError.Io(endpoint + ": " + Libc.describe(errno));
        };
    }

    /** Why reading or writing an established connection failed. */
    static FlowError flow(Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            return new FlowError.Closed();
        }
        String text = text(cause);
        if (text.contains("Connection reset") || text.contains("Broken pipe")) {
            return new FlowError.Reset();
        }
        if (text.contains("timed out")) {
            return new FlowError.TimedOut();
        }
        return new FlowError.Io(text);
    }

    private static String text(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
