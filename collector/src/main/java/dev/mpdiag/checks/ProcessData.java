package dev.mpdiag.checks;

import dev.mpdiag.engine.Summary;
import java.util.Map;

/**
 * What a check sees of one process: its id, labels, the merged summary of the window, and the window
 * (epoch ms). The window is where the data is, not what was asked for: a check measures rates over it.
 */
public record ProcessData(String id, Map<String, String> labels, Summary summary, long fromMillis, long toMillis) {
    public double seconds() {
        return Math.max(1, toMillis - fromMillis) / 1000.0;
    }

    /** A short name for messages: the index label when there is one, else the id. */
    public String name() {
        String index = labels.get("index");
        return index != null ? "worker " + index + " (" + id + ")" : id;
    }
}
