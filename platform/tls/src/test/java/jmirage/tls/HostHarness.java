package jmirage.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jmirage.core.Promise;
import jmirage.core.Scheduler;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.testkit.OnLoop;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.Pem;

/** The host target for tests: a loop, loopback sockets; openssl runs as the real peer through testkit's {@code Command}. */
final class HostHarness implements AutoCloseable {

    final HostScheduler scheduler = HostScheduler.start("tls-test");
    final HostStack stack = HostStack.loopback(scheduler);
    final TlsDevices devices = new TlsDevices(scheduler, new HostClock(), new HostRandom());

    static <T> T await(Scheduler loop, Supplier<Promise<T>> action) throws Exception {
        return OnLoop.await(loop, action);
    }

    <T> T await(Supplier<Promise<T>> action) throws Exception {
        return await(scheduler, action);
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static Path pem(Path dir, String name, List<Certificate> certs) throws IOException {
        return write(dir, name, Pem.certificates(certs));
    }

    static Path key(Path dir, String name, KeyPair key) throws IOException {
        return write(dir, name, Pem.privateKey(key));
    }

    static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }

    @Override
    public void close() throws Exception {
        await(stack::close);
        scheduler.shutdown(Duration.ofSeconds(5));
    }
}
