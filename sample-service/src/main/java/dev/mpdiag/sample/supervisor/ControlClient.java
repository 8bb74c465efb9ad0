package dev.mpdiag.sample.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sends one request line of {@link dev.mpdiag.sample.control.ControlProtocol} to a worker's Unix domain
 * socket and returns the response line. Every call is bounded by the timeout: a worker that hangs cannot
 * hang the supervisor (Unix socket channels have no SO_TIMEOUT, hence the selector).
 */
final class ControlClient {
    /** A response line longer than this is a broken worker, not a status. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final Duration timeout;

    ControlClient(Duration timeout) {
        this.timeout = timeout;
    }

    /** The response line without its line end; throws on connect failure, timeout, or a closed connection. */
    String send(Path socket, String requestLine) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                do {
                    await(selector, deadline, "connect");
                } while (!channel.finishConnect());
            }
            ByteBuffer out = ByteBuffer.wrap((requestLine + "\n").getBytes(StandardCharsets.UTF_8));
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                channel.write(out);
                if (out.hasRemaining()) {
                    await(selector, deadline, "write");
                }
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(4096);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                await(selector, deadline, "reply");
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    throw new IOException("worker closed the control connection without a reply to " + requestLine);
                }
                for (int i = 0; i < n; i++) {
                    byte b = in.get(i);
                    if (b == '\n') {
                        return line.toString(StandardCharsets.UTF_8).strip();
                    }
                    line.write(b);
                }
                if (line.size() > MAX_RESPONSE_BYTES) {
                    throw new IOException("control reply longer than " + MAX_RESPONSE_BYTES + " bytes");
                }
            }
        }
    }

    private static void await(Selector selector, long deadline, String what) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        // a select that returns 0 before the deadline is a spurious wakeup: the caller just tries again
        if (left <= 0 || selector.select(left) == 0 && System.nanoTime() - deadline >= 0) {
            throw new IOException("control " + what + " timed out");
        }
        selector.selectedKeys().clear();
    }
}
