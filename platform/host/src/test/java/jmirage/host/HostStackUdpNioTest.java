package jmirage.host;

/** The tests of {@link HostStackUdpTest} on the NIO transport, the fallback where epoll does not load. */
class HostStackUdpNioTest extends HostStackUdpTest {

    @Override
    Transport transport() {
        return Transport.nio();
    }
}
