package dev.mpdiag.sample.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the control protocol on a Unix domain socket: one request line, one response line, as many
 * as the client sends on a connection. Each connection gets its own daemon thread, so a supervisor
 * holding one open does not lock out another client.
 */
final class ControlServer implements AutoCloseable {
    /** Longest request line read; the protocol's lines are a few dozen bytes. */
    private static final int MAX_LINE = 1024;

    private final Path path;
    private final ServerSocketChannel channel;
    private final ControlCommands commands;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private ControlServer(Path path, ServerSocketChannel channel, ControlCommands commands) {
        this.path = path;
        this.channel = channel;
        this.commands = commands;
    }

    /** Binds the socket (replacing a stale file from an earlier run) and starts the accept thread. */
    static ControlServer start(Path path, ControlCommands commands) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(path));
        ControlServer server = new ControlServer(path, channel, commands);
        Thread t = new Thread(server::acceptLoop, "mpdiag-control-accept");
        t.setDaemon(true);
        t.start();
        return server;
    }

    Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = channel.accept();
                Thread t = new Thread(() -> serve(client), "mpdiag-control-" + connections.incrementAndGet());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("control: accept failed: " + e);
                }
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
             OutputStream out = Channels.newOutputStream(client)) {
            String line;
            while ((line = in.readLine()) != null) {
                ControlCommands.Reply reply = line.length() > MAX_LINE
                        ? new ControlCommands.Reply("ERR request line too long", null)
                        : commands.handle(line);
                out.write((reply.line() + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (reply.then() != null) {
                    reply.then().run();
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        }
    }

    /** Stops accepting and removes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.err.println("control: cannot delete " + path + ": " + e);
        }
    }
}
