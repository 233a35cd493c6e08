package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Result;
import jmirage.core.metrics.Metrics;
import jmirage.core.metrics.PrometheusText;
import jmirage.core.net.AddressError;
import jmirage.http.Handler;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.launcher.CommonParameters.Target;
import jmirage.launcher.MetricsEndpoint.Health;
import jmirage.launcher.MetricsEndpoint.Listen;
import jmirage.launcher.MetricsEndpoint.ParameterError;
import org.junit.jupiter.api.Test;

/** {@code --metrics} parsing and the endpoint's answers, without a network. */
class MetricsEndpointTest {

    @Test
    void aPortAloneOrAnAddressAndPortOnTheHostTarget() throws Exception {
        assertEquals(Result.ok(Optional.empty()), MetricsEndpoint.parse(null, Target.host));
        assertEquals(Result.ok(Optional.of(new Listen(Optional.empty(), 9100))), MetricsEndpoint.parse("9100", Target.host));
        assertEquals(Result.ok(Optional.of(new Listen(Optional.of(InetAddress.getByName("0.0.0.0")), 9100))),
                MetricsEndpoint.parse("0.0.0.0:9100", Target.host));
        assertEquals(Result.ok(Optional.of(new Listen(Optional.of(InetAddress.getByName("::1")), 9100))),
                MetricsEndpoint.parse("[::1]:9100", Target.host));
        assertEquals(Result.ok(Optional.of(new Listen(Optional.empty(), 9100))), MetricsEndpoint.parse("9100", Target.tap));
    }

    @Test
    void badValuesAndAnAddressOnTheTapTargetAreRefusedWithTheReason() {
        assertEquals(Result.err(new ParameterError.BadEndpoint(new AddressError.BadPort("99999"))),
                MetricsEndpoint.parse("99999", Target.host));
        assertEquals(Result.err(new ParameterError.BadEndpoint(new AddressError.NotAnAddress("localhost"))),
                MetricsEndpoint.parse("localhost:9100", Target.host));
        assertEquals(Result.err(new ParameterError.BadEndpoint(new AddressError.MissingPort("nine"))),
                MetricsEndpoint.parse("nine", Target.host));
        assertEquals(Result.err(new ParameterError.PortZero("0")), MetricsEndpoint.parse("0", Target.host));
        Result<Optional<Listen>, ParameterError> onTap = MetricsEndpoint.parse("10.0.0.2:9100", Target.tap);
        assertEquals(Result.err(new ParameterError.AddressOnTapTarget("10.0.0.2:9100")), onTap);
        assertEquals("--metrics: on the tap target the endpoint is at the unikernel's own address; give only the PORT,"
                + " not 10.0.0.2:9100", ((Result.Err<Optional<Listen>, ParameterError>) onTap).error().describe());
    }

    @Test
    void healthIs503WhileBootingAndStoppingAnd200WhileServing() {
        Health[] health = {Health.BOOTING};
        Handler handler = MetricsEndpoint.handler(new Metrics(), () -> health[0]);
        assertEquals(List.of(503, "booting\n"), answer(handler, "GET", "/health"));
        health[0] = Health.SERVING;
        assertEquals(List.of(200, "ok\n"), answer(handler, "GET", "/health"));
        health[0] = Health.STOPPING;
        assertEquals(List.of(503, "stopping\n"), answer(handler, "GET", "/health"));
    }

    @Test
    void metricsAnswersTheTextFormatWithItsContentTypeAndOtherPathsAreNotFound() {
        Metrics metrics = new Metrics();
        Clock clock = new Clock() {
            @Override
            public Instant now() {
                return Instant.ofEpochSecond(1_700_000_000, 500_000_000);
            }

            @Override
            public long monotonicNanos() {
                return 0;
            }
        };
        MetricsEndpoint.registerBuiltIns(metrics, "echo", "1.2.3", clock);
        Handler handler = MetricsEndpoint.handler(metrics, () -> Health.SERVING);

        HttpResponse response = handler.handle(HttpRequest.get("/metrics")).value();
        assertEquals(200, response.status());
        assertEquals(Optional.of(PrometheusText.CONTENT_TYPE), response.headers().get("Content-Type"));
        assertEquals("""
                # HELP jmirage_build_info The unikernel and the version of its build; always 1.
                # TYPE jmirage_build_info gauge
                jmirage_build_info{unikernel="echo",version="1.2.3"} 1
                # HELP jmirage_start_time_seconds When the unikernel booted, in seconds since the Unix epoch.
                # TYPE jmirage_start_time_seconds gauge
                jmirage_start_time_seconds 1700000000.5
                """, response.bytes().toUtf8());
        assertEquals(404, handler.handle(HttpRequest.get("/")).value().status());
        HttpResponse post = handler.handle(HttpRequest.of("POST", "/metrics", Headers.EMPTY, Bytes.EMPTY)).value();
        assertEquals(405, post.status());
        assertTrue(post.headers().get("Allow").orElse("").contains("GET"), post.headers().toString());
    }

    private static List<Object> answer(Handler handler, String method, String path) {
        HttpResponse response = handler.handle(HttpRequest.of(method, path, Headers.EMPTY, Bytes.EMPTY)).value();
        return List.of(response.status(), response.bytes().toUtf8());
    }
}
