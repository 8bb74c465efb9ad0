package dev.mpdiag.cli;

import dev.mpdiag.checks.Limits;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Check thresholds from a properties file (CHECK.KEY=VALUE per line) and then --threshold options on top. */
final class ChecksConfig {
    private ChecksConfig() {
    }

    static Limits load(Path file, List<String> options) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            for (String k : p.stringPropertyNames()) {
                settings.put(k, p.getProperty(k));
            }
        }
        for (String o : options) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--threshold takes CHECK.KEY=VALUE, got '" + o + "'");
            }
            settings.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        try {
            return Limits.of(settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((file != null ? file + ": " : "") + e.getMessage());
        }
    }
}
