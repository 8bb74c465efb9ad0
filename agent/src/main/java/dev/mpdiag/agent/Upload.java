package dev.mpdiag.agent;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The new chunks of one cut, concatenated, waiting to be POSTed as upload number {@link #seq}. */
final class Upload {

    final long seq;
    final int chunks;
    final long bytes;
    /** Taken after the recording stopped (at exit, or JFR.stop): nothing can follow it, so it is the final one. */
    final boolean afterStop;
    /** The chunks in memory, or null once they were written to {@link #file}. */
    private List<byte[]> memory;
    private Path file;

    Upload(long seq, List<byte[]> chunks, boolean afterStop) {
        this.seq = seq;
        this.afterStop = afterStop;
        this.chunks = chunks.size();
        long total = 0;
        for (byte[] c : chunks) {
            total += c.length;
        }
        this.bytes = total;
        this.memory = List.copyOf(chunks);
    }

    synchronized boolean onDisk() {
        return file != null;
    }

    /** Moves the chunks to {@code to}, freeing the memory; on failure they stay in memory. */
    synchronized void spill(Path to) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(to))) {
            for (byte[] c : memory) {
                out.write(c);
            }
        } catch (IOException e) {
            Files.deleteIfExists(to);
            throw e;
        }
        file = to;
        memory = null;
    }

    /** Writes the body: the chunks exactly as the JVM wrote them. */
    void writeTo(OutputStream out) throws IOException {
        List<byte[]> inMemory;
        Path onDisk;
        synchronized (this) {
            inMemory = memory;
            onDisk = file;
        }
        if (inMemory != null) {
            for (byte[] c : inMemory) {
                out.write(c);
            }
        } else {
            try (InputStream in = Files.newInputStream(onDisk)) {
                in.transferTo(out);
            }
        }
    }

    /** Lets go of the data: the memory, or the spool file. */
    synchronized void discard() {
        memory = null;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException | RuntimeException e) {
                AgentLog.debug("could not delete spool file " + file + ": " + AgentLog.describe(e));
            }
        }
    }
}
