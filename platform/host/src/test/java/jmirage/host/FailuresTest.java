package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import jmirage.core.net.Endpoint;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import org.junit.jupiter.api.Test;

/** The failures loopback tests cannot provoke (tests run as root; no unreachable network here). */
class FailuresTest {

    private static final Endpoint PRIVILEGED = new Endpoint(InetAddress.getLoopbackAddress(), 80);

    @Test
    void openingFailuresBecomeNetErrors() {
        assertEquals(new NetError.PermissionDenied(PRIVILEGED), Failures.net(new BindException("Permission denied"), PRIVILEGED));
        assertEquals(new NetError.AddressInUse(PRIVILEGED), Failures.net(new IOException("bind(..) failed: Address already in use"), PRIVILEGED));
        assertEquals(new NetError.TimedOut(PRIVILEGED), Failures.net(new ConnectTimeoutException("connection timed out after 30000 ms"), PRIVILEGED));
        assertEquals(new NetError.Refused(PRIVILEGED), Failures.net(new IOException("Connection reset by peer"), PRIVILEGED));
        assertEquals(new NetError.Unreachable(PRIVILEGED), Failures.net(new NoRouteToHostException(), PRIVILEGED));
        assertEquals(new NetError.Unreachable(PRIVILEGED), Failures.net(new ConnectException("connect(..) failed: Network is unreachable"), PRIVILEGED));
        assertEquals(new NetError.Io("127.0.0.1:80: Cannot assign requested address"),
                Failures.net(new BindException("Cannot assign requested address"), PRIVILEGED));
    }

    @Test
    void connectionFailuresBecomeFlowErrors() {
        assertEquals(new FlowError.Reset(), Failures.flow(new IOException("writev(..) failed: Broken pipe")));
        assertEquals(new FlowError.Reset(), Failures.flow(new IOException("recvAddress(..) failed: Connection reset by peer")));
        assertEquals(new FlowError.Closed(), Failures.flow(new ClosedChannelException()));
        assertEquals(new NetError.Closed(), Failures.net(new ClosedChannelException(), PRIVILEGED));
        assertEquals(new FlowError.Io("No buffer space available"), Failures.flow(new IOException("No buffer space available")));
    }
}
