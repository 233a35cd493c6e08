package jmirage.launcher;

import jmirage.core.LogLevel;
import picocli.CommandLine.Option;

/** The boot parameters every unikernel takes (ARCHITECTURE.md, "Common boot parameters"). */
final class CommonParameters {

    /** Where the unikernel runs. The tap and sim targets arrive with the direct TCP/IP stack. */
    enum Target { host }

    @Option(names = "--target", paramLabel = "TARGET",
            description = "Target to boot on: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Target target = Target.host;

    @Option(names = "--listen", paramLabel = "ADDR",
            description = "host target: IP address to bind. Default: ${DEFAULT-VALUE}.")
    String listen = "127.0.0.1";

    @Option(names = "--kv", paramLabel = "SPEC",
            description = "Storage: mem | dir:PATH. Default: dir:var/NAME.")
    String kv;

    @Option(names = "--block", paramLabel = "FILE",
            description = "A file to use as the Block device, for unikernels that take one.")
    String block;

    @Option(names = "--block-sector-size", paramLabel = "BYTES",
            description = "Sector size of the --block file. Default: ${DEFAULT-VALUE}.")
    int blockSectorSize = 512;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "Least severe log level printed: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            converter = LogLevelConverter.class)
    LogLevel logLevel = LogLevel.INFO;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS",
            description = "On SIGTERM or SIGINT, how long work in flight may take to finish. Default: ${DEFAULT-VALUE}.")
    int stopTimeoutSeconds = 10;

    static final class LogLevelConverter implements picocli.CommandLine.ITypeConverter<LogLevel> {
        @Override
        public LogLevel convert(String value) {
            return LogLevel.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
