package jmirage.kv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The standard output of a crash-test writer process (it prints "ready", then "committed i" after
 * each batch it was answered for), collected on a thread of its own. Only whole lines count: the
 * kill may cut the last one.
 */
public final class WriterOutput extends Thread {

    private final InputStream in;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile boolean ready;

    public WriterOutput(InputStream in) {
        this.in = in;
        setDaemon(true);
    }

    @Override
    public void run() {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (bytes) {
                    bytes.write(buffer, 0, n);
                    ready = true; // "ready" is the first line the writer prints
                    bytes.notifyAll();
                }
            }
        } catch (IOException e) {
            // the pipe closes when the child dies
        }
    }

    /** Waits until the writer is ready and has reported {@code n} batches (0: only ready). */
    public boolean awaitCommitted(int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (bytes) {
            while (!(ready && lastCommitted() >= n - 1) && System.currentTimeMillis() < deadline) {
                bytes.wait(20);
            }
            return ready && lastCommitted() >= n - 1;
        }
    }

    /** The last batch the writer reported, or -1. */
    public int lastCommitted() {
        String text;
        synchronized (bytes) {
            text = bytes.toString(StandardCharsets.US_ASCII);
        }
        int last = -1;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) { // the part after the last newline is cut
            if (lines[i].startsWith("committed ")) {
                last = Integer.parseInt(lines[i].substring("committed ".length()));
            }
        }
        return last;
    }
}
