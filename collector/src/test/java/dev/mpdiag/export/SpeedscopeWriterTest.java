package dev.mpdiag.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.engine.ProfileType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpeedscopeWriterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void allocProfileIsOneSampledProfileWithRootFirstStacks() throws IOException {
        JsonNode doc = export(ProfileType.ALLOC, "svc alloc");

        assertEquals("https://www.speedscope.app/file-format-schema.json", doc.get("$schema").asText());
        assertEquals(0, doc.get("activeProfileIndex").asInt());
        assertEquals(1, doc.get("profiles").size());
        JsonNode profile = doc.get("profiles").get(0);
        assertEquals("sampled", profile.get("type").asText());
        assertEquals("svc alloc", profile.get("name").asText());
        assertEquals("bytes", profile.get("unit").asText());
        assertEquals(0, profile.get("startValue").asLong());
        assertEquals(450, profile.get("endValue").asLong());
        assertEquals(450, sum(profile.get("weights")));

        Map<Long, List<String>> stacks = stacksByWeight(doc);
        assertEquals(Map.of(
                100L, List.of("java.lang.Thread.run:833", "com.acme.Server.handle:42", "com.acme.Codec.encode:7"),
                300L, List.of("java.lang.Thread.run:833", "com.acme.Server.handle:42", "com.acme.Codec.encode:9",
                        "byte[]"),
                50L, List.of("java.lang.Thread.run:833", "odd;name\nwith breaks")), stacks);
        for (JsonNode frame : doc.get("shared").get("frames")) {
            assertFalse(frame.get("name").asText().contains("Spin"), "frames of other profile types are left out");
        }
    }

    @Test
    void cpuProfileIsUnitlessAndKeepsTheEmptyStack() throws IOException {
        JsonNode doc = export(ProfileType.CPU, "cpu");
        JsonNode profile = doc.get("profiles").get(0);

        assertEquals("none", profile.get("unit").asText());
        assertEquals(8, profile.get("endValue").asLong());
        assertEquals(8, sum(profile.get("weights")));
        assertEquals(List.of(), stacksByWeight(doc).get(1L));
    }

    @Test
    void missingProfileIsEmpty() throws IOException {
        JsonNode profile = export(ProfileType.WAIT, "wait").get("profiles").get(0);

        assertEquals("nanoseconds", profile.get("unit").asText());
        assertEquals(0, profile.get("samples").size());
        assertEquals(0, profile.get("endValue").asLong());
    }

    private static JsonNode export(ProfileType type, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SpeedscopeWriter.write(HandMadeSummary.build(), type, name, out);
        return MAPPER.readTree(out.toByteArray());
    }

    private static long sum(JsonNode numbers) {
        long total = 0;
        for (JsonNode n : numbers) {
            total += n.asLong();
        }
        return total;
    }

    /** Each sample's frames as "name" or "name:line" in file order (root first), keyed by its weight. */
    private static Map<Long, List<String>> stacksByWeight(JsonNode doc) {
        JsonNode frames = doc.get("shared").get("frames");
        JsonNode profile = doc.get("profiles").get(0);
        JsonNode samples = profile.get("samples");
        JsonNode weights = profile.get("weights");
        assertEquals(samples.size(), weights.size());
        Map<Long, List<String>> out = new HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            List<String> stack = new ArrayList<>();
            for (JsonNode index : samples.get(i)) {
                JsonNode frame = frames.get(index.asInt());
                assertTrue(frame != null, "frame index in range");
                stack.add(frame.has("line") ? frame.get("name").asText() + ":" + frame.get("line").asInt()
                        : frame.get("name").asText());
            }
            out.put(weights.get(i).asLong(), stack);
        }
        return out;
    }
}
