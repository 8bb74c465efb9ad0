package dev.mpdiag.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mpdiag.engine.FrameKind;
import dev.mpdiag.engine.FrameTable;
import dev.mpdiag.engine.Profile;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A call tree (root first) built from a profile's stacks, merged by frame name and kind (lines apart are
 * one frame here), optionally pruned and diffed, and encoded as the flat JSON that web-ui's flame.js draws:
 * names, kinds, and 5 ints per node in pre-order (name, kind, depth, total, self).
 */
public final class FlameTree {
    private static final class Node {
        final int name;
        final int kind;
        long total;
        long self;
        double baseTotal;
        double baseSelf;
        Map<Long, Node> children;

        Node(int name, int kind) {
            this.name = name;
            this.kind = kind;
        }

        /**
         * The child for a frame. Java frames of one method are one node whatever the JIT did with them
         * (interpreted, compiled, inlined differ between runs and would make diffs show compiler noise);
         * synthetic class leaves stay apart from a method of the same name.
         */
        Node child(int name, int kind) {
            if (children == null) {
                children = new HashMap<>();
            }
            long key = ((long) name << 8) | (isJava(kind) ? 0 : kind);
            return children.computeIfAbsent(key, k -> new Node(name, kind));
        }

        private static boolean isJava(int kind) {
            return kind == FrameKind.INTERPRETED.ordinal() || kind == FrameKind.JIT.ordinal()
                    || kind == FrameKind.INLINED.ordinal();
        }
    }

    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> nameIds = new HashMap<>();
    private final Node root;
    private final ProfileType type;
    private boolean diff;

    private FlameTree(ProfileType type) {
        this.type = type;
        root = new Node(nameId("all"), FrameKind.ROOT.ordinal());
    }

    private int nameId(String name) {
        return nameIds.computeIfAbsent(name, n -> {
            names.add(n);
            return names.size() - 1;
        });
    }

    /** The tree of one profile type of a summary (empty when the summary has none). */
    public static FlameTree of(Summary s, ProfileType type) {
        FlameTree t = new FlameTree(type);
        t.add(s, type, false, 1.0);
        return t;
    }

    /**
     * A differential tree: widths from {@code after}, and per node the {@code before} weights scaled to
     * after's total, so colour shows growth or shrinkage of each frame's share.
     */
    public static FlameTree diff(Summary before, Summary after, ProfileType type) {
        FlameTree t = new FlameTree(type);
        t.diff = true;
        t.add(after, type, false, 1.0);
        Profile b = before.profileOrNull(type);
        Profile a = after.profileOrNull(type);
        if (b != null) {
            double scale = a == null || b.totalWeight() == 0 ? 1.0 : (double) a.totalWeight() / b.totalWeight();
            t.add(before, type, true, scale);
        }
        return t;
    }

    private void add(Summary s, ProfileType type, boolean base, double scale) {
        Profile p = s.profileOrNull(type);
        if (p == null) {
            return;
        }
        FrameTable ft = s.frames;
        int[] nameOfFrame = new int[ft.size()];
        for (int f = 0; f < nameOfFrame.length; f++) {
            nameOfFrame[f] = nameId(ft.name(f));
        }
        s.forEachStack(type, (frames, w, count) -> {
            Node node = root;
            add(node, w, base, scale);
            for (int i = frames.length - 1; i >= 0; i--) {
                node = node.child(nameOfFrame[frames[i]], ft.kind(frames[i]).ordinal());
                add(node, w, base, scale);
            }
            if (base) {
                node.baseSelf += w * scale;
            } else {
                node.self += w;
            }
        });
    }

    private static void add(Node node, long w, boolean base, double scale) {
        if (base) {
            node.baseTotal += w * scale;
        } else {
            node.total += w;
        }
    }

    public long total() {
        return root.total;
    }

    public ProfileType type() {
        return type;
    }

    /** Number of nodes, root included. */
    public int size() {
        return count(root);
    }

    private static int count(Node n) {
        int c = 1;
        if (n.children != null) {
            for (Node ch : n.children.values()) {
                c += count(ch);
            }
        }
        return c;
    }

    /**
     * JSON for flame.js. Nodes narrower than minShare of the root (0 keeps all) are folded into one
     * "other" node per parent, so a huge profile stays drawable; their weight is kept, not dropped.
     */
    public String toJson(double minShare) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            writeJson(g, minShare);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    public void writeJson(JsonGenerator g, double minShare) throws IOException {
        long limit = (long) Math.ceil(Math.max(root.total, root.baseTotal) * minShare);
        int other = nameId("other");
        List<long[]> nodes = new ArrayList<>();
        List<double[]> base = new ArrayList<>();
        flatten(root, 0, limit, other, nodes, base);
        g.writeStartObject();
        g.writeStringField("type", type.id());
        g.writeStringField("unit", type.unit);
        g.writeNumberField("total", root.total);
        writeNamesAndKinds(g, names);
        g.writeArrayFieldStart("nodes");
        for (long[] n : nodes) {
            for (long v : n) {
                g.writeNumber(v);
            }
        }
        g.writeEndArray();
        if (diff) {
            g.writeArrayFieldStart("base");
            for (double[] b : base) {
                g.writeNumber(Math.round(b[0]));
                g.writeNumber(Math.round(b[1]));
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** The "names" and "kinds" tables flame.js reads nodes against (HeatmapJson's samples use the same). */
    static void writeNamesAndKinds(JsonGenerator g, List<String> names) throws IOException {
        g.writeArrayFieldStart("names");
        for (String n : names) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("kinds");
        for (FrameKind k : FrameKind.values()) {
            g.writeString(k.label);
        }
        g.writeEndArray();
    }

    private void flatten(Node n, int depth, long limit, int other, List<long[]> out, List<double[]> base) {
        out.add(new long[] {n.name, n.kind, depth, n.total, n.self});
        base.add(new double[] {n.baseTotal, n.baseSelf});
        if (n.children == null) {
            return;
        }
        List<Node> kids = new ArrayList<>(n.children.values());
        kids.sort((a, b) -> Double.compare(Math.max(b.total, b.baseTotal), Math.max(a.total, a.baseTotal)));
        Node rest = null;
        for (Node c : kids) {
            if (limit > 0 && Math.max(c.total, c.baseTotal) < limit) {
                if (rest == null) {
                    rest = new Node(other, FrameKind.OTHER.ordinal());
                }
                rest.total += c.total;
                rest.self += c.total;
                rest.baseTotal += c.baseTotal;
                rest.baseSelf += c.baseTotal;
            } else {
                flatten(c, depth + 1, limit, other, out, base);
            }
        }
        if (rest != null) {
            flatten(rest, depth + 1, limit, other, out, base);
        }
    }
}
