package jmirage.launcher;

import java.io.IOException;
import java.util.Arrays;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import jmirage.core.LogLevel;
import jmirage.host.HostClock;

/**
 * The child JVM of {@code LibraryLogTest.javaUtilLoggingFromItsFirstUseInAJvmOfItsOwn}: the
 * launcher's start, then a library's first {@code java.util.logging} records, around changes of the
 * threshold, and the root logger's handlers at the end.
 */
final class JulFirstUse {

    private JulFirstUse() {}

    public static void main(String[] args) throws Exception {
        Main.librariesLogThroughUs();
        LibraryLog.configure(LogLevel.INFO, new HostClock(), System.out);
        Logger library = Logger.getLogger("org.bouncycastle.jsse.provider.ProvTlsServer");
        library.info("first use at info");
        library.fine("not printed at info");
        LibraryLog.configure(LogLevel.WARN, new HostClock(), System.out);
        library.info("not printed at warn");
        library.warning("a warning at warn");
        LibraryLog.configure(LogLevel.DEBUG, new HostClock(), System.out);
        Logger.getLogger("sun.net.www.protocol.http").log(Level.FINE, "a detail at debug", new IOException("reset"));
        System.out.println("root handlers: " + String.join(",",
                Arrays.stream(Logger.getLogger("").getHandlers()).map(Handler::getClass).map(Class::getName).toList()));
    }
}
