package jmirage.http.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of an {@link HttpServer}, as data.
 *
 * @param maxRequestLineBytes longest request line accepted; longer gets 414 (RFC 9112 3)
 * @param maxHeaderBytes      most bytes of header fields accepted; more gets 431 (RFC 6585 5)
 * @param maxBodyBytes        largest request body accepted; larger gets 413 (RFC 9110 15.5.14)
 * @param idleTimeout         how long a connection may wait for the first byte of a request
 * @param headerTimeout       how long the request line and headers may take from their first byte:
 *                            a client that dribbles them (slowloris) gets 408 and is disconnected
 * @param bodyTimeout         how long the whole body may take after the headers (slow POST)
 * @param writeTimeout        how long one response may take to write (a client that does not read)
 * @param lingerTimeout       after a final response, how long unread input is drained before closing,
 *                            so the client sees the answer rather than a reset (RFC 9112 9.6)
 * @param maxRequestsPerConnection keep-alive ends after this many requests
 * @param serverName          the Server header, or empty for none
 * @param maxConnections      connections served at once; a flow beyond that is closed at once
 */
public record ServerConfig(int maxRequestLineBytes, int maxHeaderBytes, long maxBodyBytes,
                           Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
                           Duration writeTimeout, Duration lingerTimeout, int maxRequestsPerConnection,
                           String serverName, int maxConnections) {

    public ServerConfig {
        if (maxRequestLineBytes < 16 || maxHeaderBytes < 64 || maxBodyBytes < 0 || maxRequestsPerConnection < 1
                || maxConnections < 1) {
            throw new IllegalArgumentException("limits too small");
        }
        Objects.requireNonNull(idleTimeout);
        Objects.requireNonNull(headerTimeout);
        Objects.requireNonNull(bodyTimeout);
        Objects.requireNonNull(writeTimeout);
        Objects.requireNonNull(lingerTimeout);
        Objects.requireNonNull(serverName);
    }

    public static ServerConfig defaults() {
        return new ServerConfig(8 * 1024, 16 * 1024, 1024 * 1024,
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(2), 10_000, "jmirage", 10_000);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(maxRequestLineBytes, maxHeaderBytes, bytes, idleTimeout, headerTimeout, bodyTimeout,
                writeTimeout, lingerTimeout, maxRequestsPerConnection, serverName, maxConnections);
    }

    public ServerConfig withLimits(int requestLineBytes, int headerBytes, long bodyBytes) {
        return new ServerConfig(requestLineBytes, headerBytes, bodyBytes, idleTimeout, headerTimeout, bodyTimeout,
                writeTimeout, lingerTimeout, maxRequestsPerConnection, serverName, maxConnections);
    }

    public ServerConfig withTimeouts(Duration idle, Duration header, Duration body, Duration write) {
        return new ServerConfig(maxRequestLineBytes, maxHeaderBytes, maxBodyBytes, idle, header, body,
                write, lingerTimeout, maxRequestsPerConnection, serverName, maxConnections);
    }

    public ServerConfig withMaxConnections(int connections) {
        return new ServerConfig(maxRequestLineBytes, maxHeaderBytes, maxBodyBytes, idleTimeout, headerTimeout, bodyTimeout,
                writeTimeout, lingerTimeout, maxRequestsPerConnection, serverName, connections);
    }
}
