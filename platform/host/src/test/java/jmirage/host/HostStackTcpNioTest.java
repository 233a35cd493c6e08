package jmirage.host;

/** The tests of {@link HostStackTcpTest} on the NIO transport, the fallback where epoll does not load. */
class HostStackTcpNioTest extends HostStackTcpTest {

    @Override
    Transport transport() {
        return Transport.nio();
    }
}
