package jmirage.tls.x509;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.Objects;
import jmirage.core.Random;

/**
 * The {@link Random} device as the {@link SecureRandom} Bouncy Castle's APIs take. It never reads
 * ambient entropy: every byte comes from the device (cryptographically strong on a real target,
 * seeded in the simulation), so TLS and key generation stay reproducible under simulation.
 */
public final class DeviceSecureRandom extends SecureRandom {

    private static final long serialVersionUID = 1L;

    public DeviceSecureRandom(Random device) {
        // The (spi, provider) constructor does not look up any provider or default seed source;
        // nextBytes and generateSeed reach the device through the SPI.
        super(new DeviceSpi(Objects.requireNonNull(device)), null);
    }

    @Override
    public String getAlgorithm() {
        return "jmirage-device";
    }

    @Override
    public void setSeed(long seed) {
        // The device owns its state; seeding is ignored (SecureRandom's constructor calls this).
    }

    @Override
    public void setSeed(byte[] seed) {
        // As above.
    }

    private static final class DeviceSpi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final transient Random device;

        DeviceSpi(Random device) {
            this.device = device;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {}

        @Override
        protected void engineNextBytes(byte[] bytes) {
            device.fill(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] seed = new byte[numBytes];
            device.fill(seed);
            return seed;
        }
    }
}
