package dev.mpdiag.server.api;

import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.SummaryCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How summaries cross from one cluster member to another: each as its store encoding (SummaryCodec) behind a
 * length, so the receiver decodes exactly what the sender merged. Labels travel as count and pairs.
 */
final class SummaryFrames {
    static final String TYPE = "application/x-mpdiag-summaries";
    /** Bumped when the framing changes: members of different versions refuse each other's frames clearly. */
    static final int VERSION = 1;

    private SummaryFrames() {
    }

    static void header(DataOutputStream out, int count) throws IOException {
        out.writeInt(VERSION);
        out.writeInt(count);
    }

    /** The number of frames that follow; throws when the sender spoke another version. */
    static int header(DataInputStream in) throws IOException {
        int v = in.readInt();
        if (v != VERSION) {
            throw new IOException("summary frames of version " + v + ", this member reads " + VERSION
                    + " (cluster members must run the same mpdiag version)");
        }
        return in.readInt();
    }

    /** A summary, or null written as length -1. */
    static void summary(DataOutputStream out, Summary s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = SummaryCodec.encode(s);
        out.writeInt(b.length);
        out.write(b);
    }

    static Summary summary(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        return SummaryCodec.decode(in.readNBytes(n));
    }

    static void labels(DataOutputStream out, Map<String, String> labels) throws IOException {
        out.writeInt(labels.size());
        for (Map.Entry<String, String> e : labels.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    static Map<String, String> labels(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(in.readUTF(), in.readUTF());
        }
        return out;
    }
}
