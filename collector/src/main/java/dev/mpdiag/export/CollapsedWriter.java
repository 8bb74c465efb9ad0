package dev.mpdiag.export;

import dev.mpdiag.engine.FrameTable;
import dev.mpdiag.engine.Profile;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Writes one profile of a summary in Brendan Gregg's folded format: "root;...;leaf weight" per line. */
public final class CollapsedWriter {
    // flamegraph.pl and friends show this for a frame they cannot name; a stack JFR could not read has none.
    private static final String NO_STACK = "[unknown]";

    private CollapsedWriter() {
    }

    /** Writes one line per stack with non-zero weight, in stack id order; out is flushed, not closed. */
    public static void write(Summary s, ProfileType type, Writer out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(s, type, bytes);
        out.write(bytes.toString(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * The lines as UTF-8 bytes straight into a stream: labels are encoded once per frame and lines
     * assembled in one reused byte buffer, which skips a Writer's per-call encoding (the CLI's path).
     */
    public static void write(Summary s, ProfileType type, OutputStream out) throws IOException {
        Profile p = s.profileOrNull(type);
        if (p == null) {
            out.flush();
            return;
        }
        byte[][] labels = new byte[s.frames.size()][];
        byte[] buf = new byte[1 << 16];
        int n = 0;
        int bound = UsedFrames.stackBound(s, p);
        byte[] noStack = NO_STACK.getBytes(StandardCharsets.UTF_8);
        for (int stack = 0; stack < bound; stack++) {
            long weight = p.weight(stack);
            if (weight == 0) {
                continue;
            }
            int[] frames = s.stacks.frames(stack);
            if (frames.length == 0) {
                n = put(out, buf, n, noStack);
            }
            for (int i = frames.length - 1; i >= 0; i--) {
                int f = frames[i];
                byte[] label = labels[f];
                if (label == null) {
                    label = frameLabel(s.frames, f).getBytes(StandardCharsets.UTF_8);
                    labels[f] = label;
                }
                n = put(out, buf, n, label);
                if (i > 0) {
                    n = put(out, buf, n, SEMICOLON);
                }
            }
            n = put(out, buf, n, SPACE);
            n = put(out, buf, n, Long.toString(weight).getBytes(StandardCharsets.US_ASCII));
            n = put(out, buf, n, NEWLINE);
        }
        out.write(buf, 0, n);
        out.flush();
    }

    private static final byte[] SEMICOLON = {';'};
    private static final byte[] SPACE = {' '};
    private static final byte[] NEWLINE = {'\n'};

    private static int put(OutputStream out, byte[] buf, int n, byte[] bytes) throws IOException {
        if (n + bytes.length > buf.length) {
            out.write(buf, 0, n);
            n = 0;
            if (bytes.length > buf.length) {
                out.write(bytes);
                return 0;
            }
        }
        System.arraycopy(bytes, 0, buf, n, bytes.length);
        return n + bytes.length;
    }

    /** The frame's name, with ';' and line breaks made '_' since they would split the line or the stack. */
    public static String frameLabel(FrameTable t, int id) {
        String name = t.name(id);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ';' || c == '\n' || c == '\r') {
                return name.replace(';', '_').replace('\n', '_').replace('\r', '_');
            }
        }
        return name;
    }
}
