package jmirage.host;

/** The tests of {@link TapDeviceTest} on the NIO loop, where a reader thread reads the TAP and hands frames to the loop. */
class TapDeviceNioTest extends TapDeviceTest {

    @Override
    Transport transport() {
        return Transport.nio();
    }
}
