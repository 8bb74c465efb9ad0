package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a check sees of one process: its id, labels, the merged summary of the window, and the window
 * (epoch ms). The window is where the data is, not what was asked for: a check measures rates over it.
 * {@code early} is the process's first data when the window starts later (a rolling window over a long-lived
 * process), else null: what a leak check measures held growth against, since a leak that filled before the window
 * began looks flat inside it.
 */
public record ProcessData(String id, Map<String, String> labels, Summary summary, long fromMillis, long toMillis,
        Summary early) {

    public ProcessData(String id, Map<String, String> labels, Summary summary, long fromMillis, long toMillis) {
        this(id, labels, summary, fromMillis, toMillis, null);
    }

    public double seconds() {
        return Math.max(1, toMillis - fromMillis) / 1000.0;
    }

    /** A short name for messages: the index label when there is one, else the id. */
    public String name() {
        String index = labels.get("index");
        return index != null ? "worker " + index + " (" + id + ")" : id;
    }

    /**
     * The points of a series in the window, preceded by the same series' points from the early data when there
     * is some; null when the window lacks the series.
     */
    NavigableMap<Long, Double> withEarly(String series) {
        Series s = summary.seriesOrNull(series);
        if (s == null) {
            return null;
        }
        Series e = early == null ? null : early.seriesOrNull(series);
        if (e == null || e.isEmpty()) {
            return s.points();
        }
        TreeMap<Long, Double> out = new TreeMap<>(e.points().headMap(fromMillis, false));
        out.putAll(s.points());
        return out;
    }

    /** Where held growth is counted from, in words. */
    String since() {
        return early == null ? "since the window began" : "since the process's first data";
    }
}
