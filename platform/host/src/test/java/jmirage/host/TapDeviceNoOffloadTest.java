package jmirage.host;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The tests of {@link TapDeviceTest} with the offloads switched off: one plain frame per read and write. */
class TapDeviceNoOffloadTest extends TapDeviceTest {

    @BeforeEach
    void switchOff() {
        System.setProperty(TapDevice.OFFLOAD_PROPERTY, "false");
    }

    @AfterEach
    void switchBack() {
        System.clearProperty(TapDevice.OFFLOAD_PROPERTY);
    }
}
