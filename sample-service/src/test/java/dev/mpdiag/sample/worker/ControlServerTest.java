package dev.mpdiag.sample.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.sample.control.ControlProtocol;
import dev.mpdiag.sample.worker.fault.FaultSwitchboard;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control protocol over a real Unix domain socket, several requests on one connection. */
class ControlServerTest {
    @TempDir
    Path dir;

    @Test
    void answersEachLineOfTheProtocol() throws Exception {
        WorkerState state = new WorkerState(4);
        state.port(8123);
        state.nextRequest();
        FaultSwitchboard faults = new FaultSwitchboard(4);
        CountDownLatch drained = new CountDownLatch(1);
        Path socket = ControlProtocol.socketPath(dir, 4);
        Files.writeString(socket, "stale file from an earlier run");
        try (ControlServer server = ControlServer.start(socket, new ControlCommands(state, faults, drained::countDown));
             SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));

            JsonNode status = new ObjectMapper().readTree(ask(out, in, "STATUS"));
            assertEquals(4, status.get("index").asInt());
            assertEquals(ProcessHandle.current().pid(), status.get("pid").asLong());
            assertEquals(8123, status.get("port").asInt());
            assertEquals(1, status.get("requests").asLong());
            assertTrue(status.get("uptimeMillis").asLong() >= 0);
            assertEquals(0, status.get("faults").size());

            assertEquals("OK", ask(out, in, "FAULT heap-leak on"));
            assertEquals("OK", ask(out, in, "FAULT contention on"));
            assertEquals("[\"contention\",\"heap-leak\"]", new ObjectMapper().readTree(ask(out, in, "STATUS")).get("faults").toString());
            assertEquals("OK", ask(out, in, "FAULT heap-leak off"));
            assertEquals("ERR unknown fault 'x'", ask(out, in, "FAULT x on"));
            assertTrue(ask(out, in, "FAULT contention").startsWith("ERR "));
            assertTrue(ask(out, in, "status").startsWith("ERR "));
            assertTrue(ask(out, in, "").startsWith("ERR "));
            assertEquals(1, drained.getCount(), "nothing drains before DRAIN");
            assertEquals("OK", ask(out, in, "DRAIN"));
            assertTrue(drained.await(5, TimeUnit.SECONDS), "DRAIN runs the drain action after answering");
            server.close();
            assertFalse(Files.exists(socket), "closing removes the socket file");
        }
    }

    private static String ask(OutputStream out, BufferedReader in, String line) throws Exception {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }
}
