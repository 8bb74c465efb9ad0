package dev.mpdiag.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.mpdiag.engine.Profile;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import java.io.IOException;
import java.io.OutputStream;

/** Writes one profile of a summary as a speedscope file (one "sampled" profile), streamed with Jackson. */
public final class SpeedscopeWriter {
    private static final String SCHEMA = "https://www.speedscope.app/file-format-schema.json";
    // The caller owns the stream; the generator only flushes it.
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private SpeedscopeWriter() {
    }

    /** Writes type's profile of s (an empty one when s has none) to out, which is flushed, not closed. */
    public static void write(Summary s, ProfileType type, String name, OutputStream out) throws IOException {
        if (name == null) {
            name = type.id();
        }
        Profile p = s.profileOrNull(type);
        if (p == null) {
            p = new Profile();
        }
        UsedFrames used = new UsedFrames(s, p);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeStringField("exporter", "mpdiag");
            g.writeStringField("name", name);
            g.writeNumberField("activeProfileIndex", 0);
            g.writeObjectFieldStart("shared");
            g.writeArrayFieldStart("frames");
            for (int i = 0; i < used.size(); i++) {
                int frame = used.frameId(i);
                g.writeStartObject();
                g.writeStringField("name", s.frames.name(frame));
                if (s.frames.line(frame) > 0) {
                    g.writeNumberField("line", s.frames.line(frame));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("profiles");
            writeProfile(g, s, p, used, name, unit(type));
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void writeProfile(JsonGenerator g, Summary s, Profile p, UsedFrames used, String name, String unit)
            throws IOException {
        int bound = UsedFrames.stackBound(s, p);
        g.writeStartObject();
        g.writeStringField("type", "sampled");
        g.writeStringField("name", name);
        g.writeStringField("unit", unit);
        g.writeNumberField("startValue", 0);
        g.writeArrayFieldStart("samples");
        for (int stack = 0; stack < bound; stack++) {
            if (p.weight(stack) != 0) {
                // Speedscope wants the root first; stacks are stored leaf first.
                int[] frames = s.stacks.frames(stack);
                g.writeStartArray();
                for (int i = frames.length - 1; i >= 0; i--) {
                    g.writeNumber(used.indexOf(frames[i]));
                }
                g.writeEndArray();
            }
        }
        g.writeEndArray();
        long total = 0;
        g.writeArrayFieldStart("weights");
        for (int stack = 0; stack < bound; stack++) {
            long w = p.weight(stack);
            if (w != 0) {
                g.writeNumber(w);
                total += w;
            }
        }
        g.writeEndArray();
        // Written after the weights so it is their exact sum, whatever the profile's own total says.
        g.writeNumberField("endValue", total);
        g.writeEndObject();
    }

    // Speedscope's ValueUnit names; "none" shows plain sample counts.
    private static String unit(ProfileType type) {
        return switch (type.unit) {
            case "bytes" -> "bytes";
            case "ns" -> "nanoseconds";
            default -> "none";
        };
    }
}
