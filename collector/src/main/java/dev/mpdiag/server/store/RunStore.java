package dev.mpdiag.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Named load-test runs (time windows with their figures), one JSON line each in runs.jsonl. */
public final class RunStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run: what was measured, over which processes and time window, with its figures (QPS, latency...). */
    public record Run(long id, String name, String service, List<String> processes, long fromMillis, long toMillis,
            Map<String, String> labels, Map<String, Object> figures, long createdMillis) {
    }

    private final Path file;
    private final List<Run> runs = new ArrayList<>();

    private RunStore(Path file) {
        this.file = file;
    }

    public static RunStore open(Path dataDir, Consumer<String> warn) throws IOException {
        RunStore s = new RunStore(dataDir.resolve("runs.jsonl"));
        if (Files.exists(s.file)) {
            for (String line : Files.readAllLines(s.file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    s.runs.add(JSON.readValue(line, Run.class));
                } catch (IOException e) {
                    warn.accept("runs.jsonl: skipping a damaged line (" + e.getMessage().lines().findFirst().orElse("") + ")");
                }
            }
        }
        return s;
    }

    public synchronized List<Run> all() {
        return new ArrayList<>(runs);
    }

    public synchronized Run get(long id) {
        for (Run r : runs) {
            if (r.id() == id) {
                return r;
            }
        }
        return null;
    }

    /** Adds a run with the next id, durably, and returns it. */
    public synchronized Run add(String name, String service, List<String> processes, long from, long to,
            Map<String, String> labels, Map<String, Object> figures, long now) throws IOException {
        long id = runs.isEmpty() ? 1 : runs.get(runs.size() - 1).id() + 1;
        Run r = new Run(id, name, service, processes, from, to, labels, figures, now);
        byte[] line = (JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8);
        DurableFiles.append(file, line);
        runs.add(r);
        return r;
    }
}
