package jmirage.host;

/** The tests of {@link BackPressureTest} on the NIO transport, the fallback where epoll does not load. */
class BackPressureNioTest extends BackPressureTest {

    @Override
    Transport transport() {
        return Transport.nio();
    }
}
