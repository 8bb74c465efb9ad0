package dev.mpdiag.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.testing.Recordings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metadata cache on real recordings: repeated metadata is parsed once, and any difference is a new parse. */
class MetadataCacheTest {
    @Test
    void chunksOfOneJvmShareTheirParsedMetadataAndItMatchesAFreshParse() throws Exception {
        List<ByteBuffer> chunks = ChunkSplitter.split(Recordings.jdk17MultiChunk()).chunks();
        assertTrue(chunks.size() >= 3, "the recording has several chunks: " + chunks.size());
        MetadataCache cache = new MetadataCache(4);
        for (ByteBuffer c : chunks) {
            Metadata cached = read(cache, c);
            Metadata fresh = Metadata.read(positioned(c));
            for (String name : List.of("jdk.ExecutionSample", "jdk.ObjectAllocationSample", "jdk.types.StackFrame",
                    "java.lang.Thread", "jdk.GarbageCollection")) {
                JfrType a = cached.type(name);
                JfrType b = fresh.type(name);
                assertEquals(b == null, a == null, name);
                if (a != null) {
                    assertEquals(b.id, a.id, name);
                    assertEquals(b.fields().length, a.fields().length, name);
                    for (int i = 0; i < a.fields().length; i++) {
                        assertEquals(b.fields()[i].name, a.fields()[i].name, name);
                        assertEquals(b.fields()[i].type.name, a.fields()[i].type.name, name);
                    }
                }
            }
        }
        // A JVM repeats its metadata in each chunk unless an event class was registered in between.
        System.out.println("metadata cache on " + chunks.size() + " chunks of one JVM: " + cache.hits() + " hits, "
                + cache.misses() + " parses");
        assertTrue(cache.hits() >= 1, "at least one chunk reused a parse");
        assertEquals(chunks.size(), cache.hits() + cache.misses());
        // The same content from a later chunk comes back as the same object.
        ByteBuffer last = chunks.get(chunks.size() - 1);
        assertSame(read(cache, last), read(cache, last));
    }

    @Test
    void oneChangedByteInTheMetadataIsANewParse() throws Exception {
        ByteBuffer original = ChunkSplitter.split(Recordings.jdk17()).chunks().get(0);
        MetadataCache cache = new MetadataCache(4);
        Metadata before = read(cache, original);
        assertNotNull(before.type("jdk.ExecutionSample"));

        ByteBuffer changed = copy(original);
        int md = (int) ChunkHeader.read(changed, 0).metadataOffset;
        int at = indexOf(changed, md, "jdk.ExecutionSample".getBytes(StandardCharsets.UTF_8));
        assertTrue(at > 0, "the metadata names jdk.ExecutionSample");
        changed.put(at + "jdk.ExecutionSampl".length(), (byte) 'X');

        Metadata after = read(cache, changed);
        assertNotSame(before, after);
        assertNull(after.type("jdk.ExecutionSample"));
        assertNotNull(after.type("jdk.ExecutionSamplX"));
        assertEquals(2, cache.misses());
        assertSame(before, read(cache, original), "the original is still cached");
    }

    @Test
    void aCorruptMetadataEventIsStillRefusedWithItsReason() throws Exception {
        ByteBuffer broken = copy(ChunkSplitter.split(Recordings.jdk17()).chunks().get(0));
        int md = (int) ChunkHeader.read(broken, 0).metadataOffset;
        broken.put(md + 1, (byte) 5); // the event's type id: no longer 0, so not a metadata event
        MetadataCache cache = new MetadataCache(4);
        JfrFormatException e = org.junit.jupiter.api.Assertions.assertThrows(JfrFormatException.class,
                () -> read(cache, broken));
        assertTrue(e.getMessage().contains("metadata"), e.getMessage());
    }

    private static Metadata read(MetadataCache cache, ByteBuffer chunk) throws JfrFormatException {
        return cache.read(chunk, new ByteInput(chunk), (int) ChunkHeader.read(chunk, 0).metadataOffset);
    }

    private static ByteInput positioned(ByteBuffer chunk) throws JfrFormatException {
        ByteInput in = new ByteInput(chunk);
        in.position((int) ChunkHeader.read(chunk, 0).metadataOffset);
        return in;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    private static int indexOf(ByteBuffer b, int from, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= b.limit(); i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
