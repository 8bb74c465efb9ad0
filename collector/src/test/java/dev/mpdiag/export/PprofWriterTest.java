package dev.mpdiag.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.engine.FrameKind;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class PprofWriterTest {
    @Test
    void allocProfileDecodesToTheStacksAndTotalsItWasGiven() throws IOException {
        Decoded d = export(ProfileType.ALLOC);

        assertEquals("", d.strings.get(0));
        assertEquals(List.of("alloc_objects/count", "alloc_space/bytes"), d.sampleTypes());
        assertEquals("alloc_space", d.string(d.top.scalar(14)));
        assertEquals("alloc_space/bytes", d.valueType(d.top.message(11)));
        assertEquals(1, d.top.scalar(12));
        assertTrue(d.string(d.top.scalar(13)).contains("alloc"));
        assertEquals(HandMadeSummary.START_NANOS, d.top.scalar(9));
        assertEquals(HandMadeSummary.DURATION_NANOS, d.top.scalar(10));

        Map<List<String>, List<Long>> samples = d.samples();
        assertEquals(Map.of(
                List.of("com.acme.Codec.encode:7", "com.acme.Server.handle:42", "java.lang.Thread.run:833"),
                List.of(2L, 100L),
                List.of("byte[]:0", "com.acme.Codec.encode:9", "com.acme.Server.handle:42", "java.lang.Thread.run:833"),
                List.of(3L, 300L),
                List.of("odd;name\nwith breaks:0", "java.lang.Thread.run:833"),
                List.of(1L, 50L)), samples);
        // Two locations of encode share one function; Spin.loop is only in the CPU profile.
        assertEquals(6, d.top.all(4).size());
        assertEquals(5, d.top.all(5).size());
    }

    @Test
    void cpuProfileHasOneSampleValueAndKeepsTheEmptyStack() throws IOException {
        Decoded d = export(ProfileType.CPU);

        assertEquals(List.of("samples/count"), d.sampleTypes());
        Map<List<String>, List<Long>> samples = d.samples();
        assertEquals(3, samples.size());
        assertEquals(List.of(1L), samples.get(List.of()));
        assertEquals(List.of(5L), samples.get(
                List.of("com.acme.Spin.loop:0", "com.acme.Server.handle:42", "java.lang.Thread.run:833")));
        assertEquals(8, samples.values().stream().mapToLong(v -> v.get(0)).sum());
    }

    @Test
    void missingProfileIsAValidEmptyProfile() throws IOException {
        Decoded d = export(ProfileType.LOCK);

        assertEquals(List.of("contentions/count", "delay/nanoseconds"), d.sampleTypes());
        assertEquals(0, d.top.all(2).size());
        assertEquals(0, d.top.all(4).size());
    }

    @Test
    void profileLargerThanTheWriteBufferArrivesWhole() throws IOException {
        // Enough stacks that the writer hands its buffer to the gzip stream many times over.
        Summary s = new Summary();
        int root = s.frames.intern("java.lang.Thread.run", 0, FrameKind.JIT);
        int stacks = 20_000;
        for (int i = 0; i < stacks; i++) {
            int leaf = s.frames.intern("gen.Worker.step" + i, i % 500, FrameKind.JIT);
            s.profile(ProfileType.WALL).add(s.stacks.intern(new int[] {leaf, root}), i + 1, 1);
        }
        Decoded d = export(s, ProfileType.WALL);

        Map<List<String>, List<Long>> samples = d.samples();
        assertEquals(stacks, samples.size());
        assertEquals((long) stacks * (stacks + 1) / 2, samples.values().stream().mapToLong(v -> v.get(0)).sum());
        assertEquals(List.of((long) stacks), samples.get(List.of("gen.Worker.step" + (stacks - 1) + ":" + 499,
                "java.lang.Thread.run:0")));
        assertTrue(d.top.all(9).isEmpty(), "no time range when the summary covers none");
    }

    private static Decoded export(ProfileType type) throws IOException {
        return export(HandMadeSummary.build(), type);
    }

    private static Decoded export(Summary s, ProfileType type) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PprofWriter.write(s, type, out);
        byte[] gz = out.toByteArray();
        assertEquals(0x1f, gz[0] & 0xff, "gzip magic");
        assertEquals(0x8b, gz[1] & 0xff, "gzip magic");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new Decoded(Wire.parse(in.readAllBytes()));
        }
    }

    /** The profile read back through its string table, locations and functions. */
    private static final class Decoded {
        final Wire top;
        final List<String> strings = new ArrayList<>();
        final Map<Long, Wire> locations = new HashMap<>();
        final Map<Long, String> functionNames = new HashMap<>();

        Decoded(Wire top) {
            this.top = top;
            for (Object s : top.all(6)) {
                strings.add(new String((byte[]) s, StandardCharsets.UTF_8));
            }
            for (Object o : top.all(4)) {
                Wire loc = Wire.parse((byte[]) o);
                assertTrue(locations.put(loc.scalar(1), loc) == null, "location ids are unique");
            }
            for (Object o : top.all(5)) {
                Wire f = Wire.parse((byte[]) o);
                assertEquals(f.scalar(2), f.scalar(3), "system_name is the name");
                assertTrue(functionNames.put(f.scalar(1), string(f.scalar(2))) == null, "function ids are unique");
            }
            assertTrue(!locations.containsKey(0L) && !functionNames.containsKey(0L), "ids start at 1");
            assertEquals(functionNames.size(), new HashSet<>(functionNames.values()).size(), "one function per name");
        }

        String string(long index) {
            return strings.get((int) index);
        }

        String valueType(Wire vt) {
            return string(vt.scalar(1)) + "/" + string(vt.scalar(2));
        }

        List<String> sampleTypes() {
            List<String> types = new ArrayList<>();
            for (Object o : top.all(1)) {
                types.add(valueType(Wire.parse((byte[]) o)));
            }
            return types;
        }

        /** Stack as "name:line" leaf first, to its values. */
        Map<List<String>, List<Long>> samples() {
            Map<List<String>, List<Long>> out = new HashMap<>();
            for (Object o : top.all(2)) {
                Wire sample = Wire.parse((byte[]) o);
                List<String> stack = new ArrayList<>();
                for (long id : sample.packed(1)) {
                    Wire loc = locations.get(id);
                    Wire line = loc.message(4);
                    stack.add(functionNames.get(line.scalar(1)) + ":" + line.scalar(2));
                }
                assertTrue(out.put(stack, sample.packed(2)) == null, "one sample per stack");
            }
            return out;
        }
    }

    /** A protobuf wire-format reader written from the encoding spec, independent of the writer's encoder. */
    private static final class Wire {
        private final Map<Integer, List<Object>> fields = new HashMap<>();

        static Wire parse(byte[] b) {
            Wire w = new Wire();
            int[] pos = {0};
            while (pos[0] < b.length) {
                long key = varint(b, pos);
                int field = (int) (key >>> 3);
                int wireType = (int) (key & 7);
                Object value = switch (wireType) {
                    case 0 -> varint(b, pos);
                    case 1 -> fixed(b, pos, 8);
                    case 2 -> {
                        int n = (int) varint(b, pos);
                        byte[] bytes = Arrays.copyOfRange(b, pos[0], pos[0] + n);
                        pos[0] += n;
                        yield bytes;
                    }
                    case 5 -> fixed(b, pos, 4);
                    default -> throw new AssertionError("bad wire type " + wireType + " for field " + field);
                };
                w.fields.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
            }
            assertEquals(b.length, pos[0], "message ends on a field boundary");
            return w;
        }

        List<Object> all(int field) {
            return fields.getOrDefault(field, List.of());
        }

        /** An absent scalar reads as zero, as in proto3. */
        long scalar(int field) {
            List<Object> v = all(field);
            assertTrue(v.size() <= 1, "field " + field + " is not repeated");
            return v.isEmpty() ? 0 : (Long) v.get(0);
        }

        Wire message(int field) {
            List<Object> v = all(field);
            assertEquals(1, v.size(), "field " + field + " occurs once");
            return parse((byte[]) v.get(0));
        }

        /** Repeated varints, accepting both packed and unpacked encodings. */
        List<Long> packed(int field) {
            List<Long> out = new ArrayList<>();
            for (Object o : all(field)) {
                if (o instanceof Long l) {
                    out.add(l);
                } else {
                    byte[] b = (byte[]) o;
                    int[] pos = {0};
                    while (pos[0] < b.length) {
                        out.add(varint(b, pos));
                    }
                }
            }
            return out;
        }

        private static long varint(byte[] b, int[] pos) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b[pos[0]++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new AssertionError("varint longer than 10 bytes");
        }

        private static long fixed(byte[] b, int[] pos, int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) (b[pos[0]++] & 0xff) << (8 * i);
            }
            return v;
        }
    }
}
