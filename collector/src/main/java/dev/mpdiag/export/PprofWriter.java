package dev.mpdiag.export;

import dev.mpdiag.engine.Profile;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes one profile of a summary as gzipped pprof (perftools.profiles.Profile), wire format by hand. */
public final class PprofWriter {
    // Field numbers of google/pprof proto/profile.proto.
    private static final int PROFILE_SAMPLE_TYPE = 1;
    private static final int PROFILE_SAMPLE = 2;
    private static final int PROFILE_LOCATION = 4;
    private static final int PROFILE_FUNCTION = 5;
    private static final int PROFILE_STRING_TABLE = 6;
    private static final int PROFILE_TIME_NANOS = 9;
    private static final int PROFILE_DURATION_NANOS = 10;
    private static final int PROFILE_PERIOD_TYPE = 11;
    private static final int PROFILE_PERIOD = 12;
    private static final int PROFILE_COMMENT = 13;
    private static final int PROFILE_DEFAULT_SAMPLE_TYPE = 14;
    private static final int VALUE_TYPE_TYPE = 1;
    private static final int VALUE_TYPE_UNIT = 2;
    private static final int SAMPLE_LOCATION_ID = 1;
    private static final int SAMPLE_VALUE = 2;
    private static final int LOCATION_ID = 1;
    private static final int LOCATION_LINE = 4;
    private static final int LINE_FUNCTION_ID = 1;
    private static final int LINE_LINE = 2;
    private static final int FUNCTION_ID = 1;
    private static final int FUNCTION_NAME = 2;
    private static final int FUNCTION_SYSTEM_NAME = 3;
    // Buffered top-level bytes go to the gzip stream past this, so memory stays flat however many samples.
    private static final int FLUSH_BYTES = 1 << 16;

    /** One entry of Sample.value: its pprof type and unit, taken from the stack's weight or its event count. */
    private record Column(String type, String unit, boolean fromWeight) {
    }

    private PprofWriter() {
    }

    /** Writes type's profile of s (an empty one when s has none) to out, which is flushed, not closed. */
    public static void write(Summary s, ProfileType type, OutputStream out) throws IOException {
        Profile p = s.profileOrNull(type);
        if (p == null) {
            p = new Profile();
        }
        Column[] columns = columns(type);
        UsedFrames used = new UsedFrames(s, p);
        Map<String, Integer> strings = new LinkedHashMap<>();
        str(strings, "");
        // One Function per distinct name: frames differing only in line or kind share it, as in pprof.
        Map<String, Integer> functions = new LinkedHashMap<>();
        int[] functionOf = new int[used.size()];
        for (int i = 0; i < functionOf.length; i++) {
            String name = s.frames.name(used.frameId(i));
            str(strings, name);
            functionOf[i] = functions.computeIfAbsent(name, k -> functions.size() + 1);
        }
        Column main = weightColumn(columns);
        int comment = str(strings, "mpdiag " + type.id() + " profile");

        try (OutputStream gz = new GZIPOutputStream(new KeepOpen(out), FLUSH_BYTES)) {
            Proto top = new Proto();
            Proto msg = new Proto();
            for (Column c : columns) {
                top.message(PROFILE_SAMPLE_TYPE, valueType(msg, strings, c));
            }
            writeSamples(s, p, used, columns, top, msg, gz);
            writeLocations(s, used, functionOf, top, msg, gz);
            for (Map.Entry<String, Integer> f : functions.entrySet()) {
                int name = strings.get(f.getKey());
                msg.reset();
                msg.varintField(FUNCTION_ID, f.getValue());
                msg.varintField(FUNCTION_NAME, name);
                msg.varintField(FUNCTION_SYSTEM_NAME, name);
                top.message(PROFILE_FUNCTION, msg);
                top.drainIfFull(gz);
            }
            for (String str : strings.keySet()) {
                top.string(PROFILE_STRING_TABLE, str);
                top.drainIfFull(gz);
            }
            if (s.startNanos() <= s.endNanos()) {
                top.varintField(PROFILE_TIME_NANOS, s.startNanos());
                top.varintField(PROFILE_DURATION_NANOS, s.endNanos() - s.startNanos());
            }
            // Weights are already what one event stands for, so each unit of value is one period.
            top.message(PROFILE_PERIOD_TYPE, valueType(msg, strings, main));
            top.varintField(PROFILE_PERIOD, 1);
            top.varintField(PROFILE_COMMENT, comment);
            top.varintField(PROFILE_DEFAULT_SAMPLE_TYPE, strings.get(main.type));
            top.drainTo(gz);
        }
        out.flush();
    }

    // Location ids are dense frame indexes + 1; pprof wants the leaf first, which is how stacks are stored.
    private static void writeSamples(Summary s, Profile p, UsedFrames used, Column[] columns, Proto top, Proto msg,
            OutputStream gz) throws IOException {
        long[] ids = new long[64];
        long[] values = new long[columns.length];
        int bound = UsedFrames.stackBound(s, p);
        for (int stack = 0; stack < bound; stack++) {
            if (!UsedFrames.exported(p, stack)) {
                continue;
            }
            int[] frames = s.stacks.frames(stack);
            if (frames.length > ids.length) {
                ids = new long[Math.max(frames.length, ids.length * 2)];
            }
            for (int i = 0; i < frames.length; i++) {
                ids[i] = used.indexOf(frames[i]) + 1;
            }
            for (int c = 0; c < columns.length; c++) {
                values[c] = columns[c].fromWeight ? p.weight(stack) : p.count(stack);
            }
            msg.reset();
            msg.packed(SAMPLE_LOCATION_ID, ids, frames.length);
            msg.packed(SAMPLE_VALUE, values, values.length);
            top.message(PROFILE_SAMPLE, msg);
            top.drainIfFull(gz);
        }
    }

    // One Location per used frame, id = dense index + 1, so a frame's distinct line stays visible.
    private static void writeLocations(Summary s, UsedFrames used, int[] functionOf, Proto top, Proto msg,
            OutputStream gz) throws IOException {
        Proto line = new Proto();
        for (int i = 0; i < functionOf.length; i++) {
            line.reset();
            line.varintField(LINE_FUNCTION_ID, functionOf[i]);
            line.varintField(LINE_LINE, s.frames.line(used.frameId(i)));
            msg.reset();
            msg.varintField(LOCATION_ID, i + 1);
            msg.message(LOCATION_LINE, line);
            top.message(PROFILE_LOCATION, msg);
            top.drainIfFull(gz);
        }
    }

    // Counts come first where a profile has them, as profile.proto's convention asks.
    private static Column[] columns(ProfileType type) {
        return switch (type) {
            case CPU, WALL, NATIVE -> new Column[] {new Column("samples", "count", true)};
            case ALLOC -> new Column[] {new Column("alloc_objects", "count", false),
                new Column("alloc_space", "bytes", true)};
            case LOCK, WAIT -> new Column[] {new Column("contentions", "count", false),
                new Column("delay", "nanoseconds", true)};
        };
    }

    // The weight is what the profile is about, so viewers open on it.
    private static Column weightColumn(Column[] columns) {
        for (Column c : columns) {
            if (c.fromWeight) {
                return c;
            }
        }
        throw new IllegalStateException("no weight column");
    }

    private static Proto valueType(Proto msg, Map<String, Integer> strings, Column c) {
        msg.reset();
        msg.varintField(VALUE_TYPE_TYPE, str(strings, c.type));
        msg.varintField(VALUE_TYPE_UNIT, str(strings, c.unit));
        return msg;
    }

    private static int str(Map<String, Integer> strings, String s) {
        return strings.computeIfAbsent(s, k -> strings.size());
    }

    /** Protobuf wire format into a growable buffer that is reused from message to message. */
    private static final class Proto {
        private static final int WIRE_VARINT = 0;
        private static final int WIRE_LEN = 2;
        private static final int MAX_VARINT_BYTES = 10;
        private byte[] buf = new byte[256];
        private int len;

        void reset() {
            len = 0;
        }

        /** Skips zero: proto3 reads an absent scalar as zero. */
        void varintField(int field, long v) {
            if (v != 0) {
                tag(field, WIRE_VARINT);
                varint(v);
            }
        }

        void string(int field, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            bytes(field, b, b.length);
        }

        void message(int field, Proto m) {
            bytes(field, m.buf, m.len);
        }

        void packed(int field, long[] v, int n) {
            if (n == 0) {
                return;
            }
            int size = 0;
            for (int i = 0; i < n; i++) {
                size += varintSize(v[i]);
            }
            tag(field, WIRE_LEN);
            varint(size);
            for (int i = 0; i < n; i++) {
                varint(v[i]);
            }
        }

        void drainIfFull(OutputStream out) throws IOException {
            if (len >= FLUSH_BYTES) {
                drainTo(out);
            }
        }

        void drainTo(OutputStream out) throws IOException {
            out.write(buf, 0, len);
            len = 0;
        }

        private void bytes(int field, byte[] b, int n) {
            tag(field, WIRE_LEN);
            varint(n);
            ensure(n);
            System.arraycopy(b, 0, buf, len, n);
            len += n;
        }

        private void tag(int field, int wireType) {
            varint((long) field << 3 | wireType);
        }

        private void varint(long v) {
            ensure(MAX_VARINT_BYTES);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) (v & 0x7F | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        private static int varintSize(long v) {
            int n = 1;
            while ((v & ~0x7FL) != 0) {
                n++;
                v >>>= 7;
            }
            return n;
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }
    }

    /** Lets the gzip stream be closed, freeing its native deflater, without closing the caller's stream. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            out.write(b, off, n);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
