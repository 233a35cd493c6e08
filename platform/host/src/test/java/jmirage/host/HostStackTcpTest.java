package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.TcpListener;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostStackTcpTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** The transport under test: what the host picks; a subclass runs the same tests on NIO. */
    Transport transport() {
        return Transport.detect();
    }

    private final HostScheduler scheduler = HostScheduler.start("tcp-test", transport());
    private final HostStack server = new HostStack(scheduler, LOOPBACK);
    private final HostStack client = new HostStack(scheduler, LOOPBACK);

    @AfterEach
    void stop() throws Exception {
        OnLoop.await(scheduler, client::close);
        OnLoop.await(scheduler, server::close);
        assertTrue(scheduler.shutdown(Duration.ofSeconds(10)));
    }

    private TcpListener listen(Consumer<Flow> onAccept) throws Exception {
        return OnLoop.await(scheduler, () -> server.listenTcp(0, onAccept)).orElseThrow();
    }

    private Flow connect(Endpoint remote) throws Exception {
        return OnLoop.await(scheduler, () -> client.connectTcp(remote)).orElseThrow();
    }

    @Test
    void roundTripThroughAnEchoServer() throws Exception {
        TcpListener listener = listen(Flows::echo);
        assertEquals(LOOPBACK, listener.local().address());
        assertNotEquals(0, listener.local().port());
        Flow flow = connect(listener.local());
        assertEquals(listener.local(), flow.remote());

        Bytes echoed = OnLoop.await(scheduler, () -> flow.write(Bytes.utf8("hello, "))
                .flatMap(w -> flow.write(Bytes.utf8("unikernel")))
                .flatMap(w -> flow.shutdownOutput())
                .flatMap(s -> Flows.readToEnd(flow))).orElseThrow();

        assertEquals("hello, unikernel", echoed.toUtf8());
    }

    @Test
    void manyConcurrentConnectionsEachGetTheirOwnAnswer() throws Exception {
        TcpListener listener = listen(Flows::echo);
        int connections = 200;
        List<Bytes> answers = OnLoop.await(scheduler, () -> {
            List<Promise<Bytes>> all = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Bytes message = Bytes.utf8("client " + i + " ".repeat(i));
                all.add(client.connectTcp(listener.local()).flatMap(opened -> {
                    Flow flow = opened.orElseThrow();
                    return flow.write(message)
                            .flatMap(w -> flow.shutdownOutput())
                            .flatMap(s -> Flows.readToEnd(flow))
                            .map(Result::orElseThrow);
                }));
            }
            return Promise.all(all);
        });
        for (int i = 0; i < connections; i++) {
            assertEquals("client " + i + " ".repeat(i), answers.get(i).toUtf8());
        }
    }

    @Test
    void halfCloseLetsTheServerAnswerAfterTheClientsEnd() throws Exception {
        CompletableFuture<Bytes> serverHeard = new CompletableFuture<>();
        TcpListener listener = listen(flow -> Flows.readToEnd(flow).onSuccess(question -> {
            serverHeard.complete(question.orElseThrow());
            flow.write(Bytes.utf8("42")).onSuccess(w -> flow.close());
        }));
        Flow flow = connect(listener.local());

        Result<Bytes, FlowError> answer = OnLoop.await(scheduler, () -> flow.write(Bytes.utf8("the question?"))
                .flatMap(w -> flow.shutdownOutput())
                .flatMap(s -> Flows.readToEnd(flow)));
        Result<?, FlowError> writeAfterShutdown = OnLoop.await(scheduler, () -> flow.write(Bytes.utf8("more")));

        assertEquals("the question?", serverHeard.get(10, TimeUnit.SECONDS).toUtf8());
        assertEquals("42", answer.orElseThrow().toUtf8());
        assertEquals(Result.err(new FlowError.Closed()), writeAfterShutdown);
    }

    @Test
    void connectingToAClosedPortIsRefused() throws Exception {
        TcpListener listener = listen(Flows::echo);
        OnLoop.await(scheduler, listener::close);

        Result<Flow, NetError> refused = OnLoop.await(scheduler, () -> client.connectTcp(listener.local()));

        assertEquals(Result.err(new NetError.Refused(listener.local())), refused);
    }

    @Test
    void listeningOnAPortInUseIsAnError() throws Exception {
        TcpListener listener = listen(Flows::echo);

        Result<TcpListener, NetError> second = OnLoop.await(scheduler, () -> server.listenTcp(listener.local().port(), Flows::echo));

        assertEquals(Result.err(new NetError.AddressInUse(listener.local())), second);
    }

    @Test
    void aPeerResetIsReportedAsReset() throws Exception {
        CompletableFuture<Flow> accepted = new CompletableFuture<>();
        TcpListener listener = listen(accepted::complete);
        Socket peer = new Socket(LOOPBACK, listener.local().port());
        Flow flow = accepted.get(10, TimeUnit.SECONDS);
        peer.setSoLinger(true, 0); // close with RST instead of FIN
        peer.close();

        Result<ReadResult, FlowError> read = OnLoop.await(scheduler, flow::read);

        assertEquals(Result.err(new FlowError.Reset()), read);
    }

    @Test
    void aSecondConcurrentReadIsABug() throws Exception {
        CompletableFuture<Flow> accepted = new CompletableFuture<>();
        TcpListener listener = listen(accepted::complete);
        connect(listener.local());
        Flow flow = accepted.get(10, TimeUnit.SECONDS);

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> OnLoop.await(scheduler, () -> {
            flow.read();
            return flow.read();
        }));

        assertInstanceOf(IllegalStateException.class, thrown.getCause());
    }

    @Test
    void closingTheStackEndsItsFlowsAndRefusesNewWork() throws Exception {
        CompletableFuture<Flow> accepted = new CompletableFuture<>();
        TcpListener listener = listen(accepted::complete);
        Flow clientFlow = connect(listener.local());
        Flow serverFlow = accepted.get(10, TimeUnit.SECONDS);
        CompletableFuture<Result<ReadResult, FlowError>> pendingServerRead = OnLoop.start(scheduler, serverFlow::read);

        OnLoop.await(scheduler, server::close);

        assertEquals(Result.err(new FlowError.Closed()), pendingServerRead.get(10, TimeUnit.SECONDS));
        assertEquals(Result.ok(ReadResult.EOF), OnLoop.await(scheduler, clientFlow::read));
        assertEquals(Result.err(new NetError.Closed()), OnLoop.await(scheduler, () -> server.listenTcp(0, Flows::echo)));
    }
}
