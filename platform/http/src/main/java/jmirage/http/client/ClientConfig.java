package jmirage.http.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of an {@link HttpClientConnection}.
 *
 * @param maxStatusLineBytes longest status line accepted
 * @param maxHeaderBytes     most bytes of response header fields accepted
 * @param maxBodyBytes       largest response body accepted
 * @param responseTimeout    how long one exchange may take, from sending to the last body byte
 * @param userAgent          the User-Agent header added when the request has none; empty for none
 */
public record ClientConfig(int maxStatusLineBytes, int maxHeaderBytes, long maxBodyBytes, Duration responseTimeout,
                           String userAgent) {

    public ClientConfig {
        Objects.requireNonNull(responseTimeout);
        Objects.requireNonNull(userAgent);
    }

    public static ClientConfig defaults() {
        return new ClientConfig(8 * 1024, 64 * 1024, 16 * 1024 * 1024, Duration.ofSeconds(30), "jmirage-http");
    }

    public ClientConfig withResponseTimeout(Duration timeout) {
        return new ClientConfig(maxStatusLineBytes, maxHeaderBytes, maxBodyBytes, timeout, userAgent);
    }

    public ClientConfig withMaxBodyBytes(long bytes) {
        return new ClientConfig(maxStatusLineBytes, maxHeaderBytes, bytes, responseTimeout, userAgent);
    }
}
