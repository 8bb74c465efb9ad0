package dev.mpdiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mpdiag.engine.FrameTable;
import dev.mpdiag.engine.Heat;
import dev.mpdiag.engine.HeatMatrix;
import dev.mpdiag.engine.Pauses;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sub-second heatmap of a set of processes as JSON: the merged matrix, optionally one per process, and
 * the GC pauses and safepoints inside it. The collector's /api/v1/heatmap and `mpdiag flame --format heatmap`
 * write the same document (docs/api.md).
 */
public final class HeatmapJson {
    /** One process: its id, a label for people, and its summaries over the range (unmerged is fine). */
    public record Source(String id, String label, List<Summary> summaries) {
    }

    private final ProfileType type;
    private final List<Source> sources;
    private final HeatMatrix merged;
    private final List<HeatMatrix> perProcess = new ArrayList<>();

    /** Null matrix when no source has heat of this type in [fromMillis, toMillis). */
    public HeatmapJson(ProfileType type, List<Source> sources, long fromMillis, long toMillis, int rowMillis) {
        this.type = type;
        this.sources = sources;
        HeatMatrix.Bounds bounds = new HeatMatrix.Bounds(fromMillis, toMillis);
        for (Source s : sources) {
            for (Summary sum : s.summaries()) {
                Heat h = sum.heatOrNull(type);
                if (h != null) {
                    bounds.include(h);
                }
            }
        }
        merged = bounds.matrix(rowMillis);
        if (merged == null) {
            return;
        }
        for (Source s : sources) {
            HeatMatrix m = merged.sameShape();
            for (Summary sum : s.summaries()) {
                Heat h = sum.heatOrNull(type);
                if (h != null) {
                    m.add(h);
                }
            }
            merged.add(m);
            perProcess.add(m);
        }
    }

    public HeatMatrix merged() {
        return merged;
    }

    /** Writes the document; with split, a matrix per process too. */
    public void write(JsonGenerator g, boolean split) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type.id());
        g.writeStringField("unit", type.unit);
        g.writeArrayFieldStart("processes");
        for (Source s : sources) {
            g.writeString(s.id());
        }
        g.writeEndArray();
        if (merged == null) {
            g.writeNullField("from");
            g.writeNumberField("columns", 0);
            g.writeEndObject();
            return;
        }
        g.writeNumberField("rowMillis", merged.rowMillis);
        g.writeNumberField("rows", merged.rows);
        g.writeNumberField("from", merged.fromMillis);
        g.writeNumberField("columns", merged.columns);
        g.writeBooleanField("truncated", merged.truncated);
        g.writeNumberField("total", merged.total());
        g.writeNumberField("max", merged.max());
        writeCells(g, merged);
        if (split) {
            g.writeArrayFieldStart("perProcess");
            for (int i = 0; i < sources.size(); i++) {
                g.writeStartObject();
                g.writeStringField("id", sources.get(i).id());
                g.writeStringField("label", sources.get(i).label());
                g.writeNumberField("total", perProcess.get(i).total());
                g.writeNumberField("max", perProcess.get(i).max());
                writeCells(g, perProcess.get(i));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        writePauses(g);
        g.writeEndObject();
    }

    private static void writeCells(JsonGenerator g, HeatMatrix m) throws IOException {
        long[] cells = m.cells();
        g.writeFieldName("cells");
        g.writeArray(cells, 0, cells.length);
    }

    private void writePauses(JsonGenerator g) throws IOException {
        long dropped = 0;
        g.writeArrayFieldStart("pauses");
        for (Source s : sources) {
            for (Summary sum : s.summaries()) {
                Pauses p = sum.pauses;
                dropped += p.dropped();
                for (int i = 0; i < p.size(); i++) {
                    long at = p.startMillis(i);
                    if (at >= merged.fromMillis && at < merged.endMillis()) {
                        g.writeStartObject();
                        g.writeStringField("process", s.id());
                        g.writeStringField("kind", p.kind(i).name().toLowerCase());
                        g.writeNumberField("at", at);
                        g.writeNumberField("ms", p.durationNanos(i) / 1e6);
                        g.writeEndObject();
                    }
                }
            }
        }
        g.writeEndArray();
        g.writeNumberField("pausesDropped", dropped);
    }

    /**
     * For a page with no server behind it: the merged summary's stacks and their timed weights, so the page
     * can build the flame graph of any span it is asked for. Entries are [cell offset from the matrix's start in
     * 20 ms cells, stack, weight]; stacks are frame ids leaf first; frames are [name id, kind ordinal].
     */
    public void writeSamples(JsonGenerator g, Summary mergedSummary) throws IOException {
        Heat h = mergedSummary.heatOrNull(type);
        g.writeStartObject();
        g.writeNumberField("cellMillis", Heat.CELL_MILLIS);
        FrameTable ft = mergedSummary.frames;
        Map<String, Integer> nameIds = new HashMap<>();
        List<String> names = new ArrayList<>();
        int[] frameName = new int[ft.size()];
        for (int f = 0; f < ft.size(); f++) {
            frameName[f] = nameIds.computeIfAbsent(ft.name(f), n -> {
                names.add(n);
                return names.size() - 1;
            });
        }
        FlameTree.writeNamesAndKinds(g, names);
        g.writeArrayFieldStart("frames");
        for (int f = 0; f < ft.size(); f++) {
            g.writeNumber(frameName[f]);
            g.writeNumber(ft.kind(f).ordinal());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("stacks");
        for (int s = 0; s < mergedSummary.stacks.size(); s++) {
            int[] frames = mergedSummary.stacks.frames(s);
            g.writeArray(frames, 0, frames.length);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("entries");
        if (h != null && merged != null) {
            long first = merged.fromMillis / Heat.CELL_MILLIS;
            long end = merged.endMillis() / Heat.CELL_MILLIS;
            for (int i = 0; i < h.size(); i++) {
                if (h.cell(i) >= first && h.cell(i) < end) {
                    g.writeNumber(h.cell(i) - first);
                    g.writeNumber(h.stack(i));
                    g.writeNumber(h.weight(i));
                }
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
