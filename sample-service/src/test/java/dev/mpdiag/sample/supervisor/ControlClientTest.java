package dev.mpdiag.sample.supervisor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ControlClient against a real Unix domain socket served by a thread of this test. */
@Timeout(20)
class ControlClientTest {
    private Path dir;
    private Path socket;
    private ServerSocketChannel server;
    private Thread serverThread;

    @BeforeEach
    void bind() throws IOException {
        dir = Files.createTempDirectory("ctl-test");
        socket = dir.resolve("w.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
    }

    @AfterEach
    void close() throws Exception {
        server.close();
        if (serverThread != null) {
            serverThread.interrupt();
            serverThread.join(5000);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Answers each connection's first line with {@code reply}, byte by byte when {@code trickle}. */
    private void serve(String reply, boolean trickle) {
        serverThread = new Thread(() -> {
            try {
                while (true) {
                    try (SocketChannel c = server.accept()) {
                        ByteBuffer in = ByteBuffer.allocate(256);
                        StringBuilder line = new StringBuilder();
                        while (line.indexOf("\n") < 0 && c.read(in) > 0) {
                            in.flip();
                            line.append(StandardCharsets.UTF_8.decode(in));
                            in.clear();
                        }
                        if (reply == null) {
                            Thread.sleep(60_000);
                        }
                        byte[] out = (reply.replace("$REQ", line.toString().strip()) + "\n").getBytes(StandardCharsets.UTF_8);
                        for (int i = 0; i < out.length; i += trickle ? 1 : out.length) {
                            c.write(ByteBuffer.wrap(out, i, trickle ? 1 : out.length));
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // closed by the test
            }
        }, "fake-worker");
        serverThread.setDaemon(true);
        serverThread.start();
    }

    @Test
    void returnsTheReplyLine() throws IOException {
        serve("got $REQ", false);
        ControlClient client = new ControlClient(Duration.ofSeconds(5));
        assertEquals("got STATUS", client.send(socket, "STATUS"));
        assertEquals("got FAULT fd-leak on", client.send(socket, "FAULT fd-leak on"));
    }

    @Test
    void assemblesAReplyThatArrivesInPieces() throws IOException {
        serve("{\"requests\":42,\"faults\":[]}", true);
        assertEquals("{\"requests\":42,\"faults\":[]}", new ControlClient(Duration.ofSeconds(5)).send(socket, "STATUS"));
    }

    @Test
    void aWorkerThatNeverAnswersTimesOut() {
        serve(null, false);
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class,
                () -> new ControlClient(Duration.ofMillis(300)).send(socket, "STATUS"));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the timeout bounds the call");
    }

    @Test
    void noSocketIsAnError() {
        assertThrows(IOException.class, () -> new ControlClient(Duration.ofSeconds(1)).send(dir.resolve("none.sock"), "STATUS"));
    }
}
