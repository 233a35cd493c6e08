package jmirage.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.host.HostRandom;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;

/**
 * The benchmark server (platform/tls/bench/run-benchmark.sh): our TLS server on the host target.
 * Usage: BenchServer rsa|ec PORT DIR BULK_BYTES. Writes DIR/{ca,leaf,chain}.pem and DIR/key.pem so
 * openssl s_server can serve the very same certificate. Each connection: read one chunk; when it
 * is a request, answer with an HTTP/1.0 header and BULK_BYTES of data; then close (close_notify).
 */
public final class BenchServer {

    public static void main(String[] args) throws Exception {
        KeyType type = args[0].equals("rsa") ? KeyType.RSA_2048 : KeyType.EC_P256;
        int port = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        long bulk = Long.parseLong(args[3]);
        HostHarness host = new HostHarness();
        TestPki pki = TestPki.create(type, new HostRandom(), Instant.now());
        Files.writeString(dir.resolve("ca.pem"), Pem.certificates(List.of(pki.ca())));
        Files.writeString(dir.resolve("leaf.pem"), Pem.certificates(List.of(pki.server().leaf())));
        Files.writeString(dir.resolve("chain.pem"), Pem.certificates(List.of(pki.intermediate())));
        Files.writeString(dir.resolve("key.pem"), Pem.privateKey(pki.server().key()));
        TlsServerConfig config = TlsServerConfig.of(pki.server());
        Bytes chunk = Bytes.adopt(new byte[64 * 1024]);
        host.await(() -> host.stack.listenTcp(port, flow -> TlsFlow.accept(flow, config, host.devices).onSuccess(r -> {
            if (r instanceof Result.Ok<TlsFlow, TlsFailure>(TlsFlow tls)) {
                tls.read().onSuccess(read -> {
                    if (read instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data d) && bulk > 0) {
                        tls.write(Bytes.utf8("HTTP/1.0 200 ok\r\nContent-Length: " + bulk + "\r\n\r\n"))
                                .flatMap(w -> send(tls, chunk, bulk)).onSuccess(done -> tls.close());
                    } else {
                        tls.close();
                    }
                });
            }
        }))).orElseThrow();
        System.out.println("READY " + port);
        Thread.sleep(Long.MAX_VALUE);
    }

    private static Promise<Unit> send(TlsFlow tls, Bytes chunk, long remaining) {
        if (remaining <= 0) {
            return Promise.done();
        }
        Bytes piece = remaining >= chunk.size() ? chunk : chunk.slice(0, (int) remaining);
        return tls.write(piece).flatMap(w -> w.isOk() ? send(tls, chunk, remaining - piece.size()) : Promise.done());
    }
}
