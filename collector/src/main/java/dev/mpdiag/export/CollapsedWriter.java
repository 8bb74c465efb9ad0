package dev.mpdiag.export;

import dev.mpdiag.collections.IntArrayKey;
import dev.mpdiag.engine.FrameTable;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes one profile of a summary in Brendan Gregg's folded format: "root;...;leaf weight" per line. */
public final class CollapsedWriter {
    // flamegraph.pl and friends show this for a frame they cannot name; a stack JFR could not read has none.
    private static final String NO_STACK = "[unknown]";

    private CollapsedWriter() {
    }

    /** Writes one line per distinct stack of labels with non-zero weight; out is flushed, not closed. */
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
        if (s.profileOrNull(type) == null) {
            out.flush();
            return;
        }
        // Stacks that differ only in line numbers or frame types print the same line; like flamegraph.pl,
        // add them up into one line (in first-seen order, so output stays deterministic).
        int[] labelOfFrame = new int[s.frames.size()];
        Arrays.fill(labelOfFrame, -1);
        Map<String, Integer> labelIds = new HashMap<>();
        List<byte[]> labels = new ArrayList<>();
        Map<IntArrayKey, long[]> lines = new LinkedHashMap<>();
        s.forEachStack(type, (frames, weight, count) -> {
            int[] key = new int[frames.length];
            for (int i = 0; i < frames.length; i++) {
                int f = frames[i];
                if (labelOfFrame[f] < 0) {
                    String label = frameLabel(s.frames, f);
                    labelOfFrame[f] = labelIds.computeIfAbsent(label, l -> {
                        labels.add(l.getBytes(StandardCharsets.UTF_8));
                        return labels.size() - 1;
                    });
                }
                key[i] = labelOfFrame[f];
            }
            lines.computeIfAbsent(new IntArrayKey(key), k -> new long[1])[0] += weight;
        });
        byte[] buf = new byte[1 << 16];
        int n = 0;
        byte[] noStack = NO_STACK.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<IntArrayKey, long[]> line : lines.entrySet()) {
            int[] key = line.getKey().values;
            if (key.length == 0) {
                n = put(out, buf, n, noStack);
            }
            for (int i = key.length - 1; i >= 0; i--) {
                n = put(out, buf, n, labels.get(key[i]));
                if (i > 0) {
                    n = put(out, buf, n, SEMICOLON);
                }
            }
            n = put(out, buf, n, SPACE);
            n = put(out, buf, n, Long.toString(line.getValue()[0]).getBytes(StandardCharsets.US_ASCII));
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
