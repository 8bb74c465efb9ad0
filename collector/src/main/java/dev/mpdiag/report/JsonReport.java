package dev.mpdiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.mpdiag.checks.CheckResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the analyze report as JSON; the schema is documented in docs/report-json.md. */
public final class JsonReport {
    public static final int SCHEMA_VERSION = 1;

    private JsonReport() {
    }

    /** A mapper that writes NaN (a figure that has no value, e.g. no GC happened) as null, keeping JSON valid. */
    public static ObjectMapper mapper() {
        SimpleModule nanAsNull = new SimpleModule();
        JsonSerializer<Double> ser = new JsonSerializer<>() {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v == null || v.isNaN() || v.isInfinite()) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
        };
        nanAsNull.addSerializer(Double.class, ser);
        nanAsNull.addSerializer(double.class, ser);
        return new ObjectMapper().registerModule(nanAsNull).enable(SerializationFeature.INDENT_OUTPUT);
    }

    public static Map<String, Object> document(List<ProcessReport> processes, ProcessReport merged, List<String> warnings,
            List<CheckResult> checks) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", SCHEMA_VERSION);
        doc.put("tool", "mpdiag");
        doc.put("warnings", warnings);
        doc.put("processes", processes);
        doc.put("merged", merged);
        doc.put("checks", checks);
        return doc;
    }

    public static void write(Path file, List<ProcessReport> processes, ProcessReport merged, List<String> warnings,
            List<CheckResult> checks) throws IOException {
        mapper().writeValue(file.toFile(), document(processes, merged, warnings, checks));
    }
}
