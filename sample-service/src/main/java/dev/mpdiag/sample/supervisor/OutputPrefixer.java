package dev.mpdiag.sample.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies a worker's stdout or stderr to the supervisor's, each line prefixed with "[worker i]", so the
 * interleaved output of N workers can still be told apart. One named daemon thread per stream; it ends
 * when the worker closes the stream (it exits).
 */
final class OutputPrefixer implements Runnable {
    private final InputStream in;
    private final PrintStream out;
    private final String prefix;

    private OutputPrefixer(InputStream in, PrintStream out, String prefix) {
        this.in = in;
        this.out = out;
        this.prefix = prefix;
    }

    static void start(InputStream in, PrintStream out, int index, String streamName) {
        Thread t = new Thread(new OutputPrefixer(in, out, "[worker " + index + "] "), "worker-" + index + "-" + streamName);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (out) {
                    out.println(prefix + line);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the worker is gone; its last lines, if any, are lost with it
        }
    }
}
