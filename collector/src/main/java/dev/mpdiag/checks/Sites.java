package dev.mpdiag.checks;

import dev.mpdiag.engine.Summary;
import java.util.ArrayList;
import java.util.List;

/** Reading code sites out of a summary's stacks for evidence. */
final class Sites {
    private Sites() {
    }

    /** The top frame whose name does not start with any of the prefixes (the JDK code the site called into). */
    static String firstOutside(Summary s, int stackId, String... prefixes) {
        int[] frames = s.stacks.frames(stackId);
        for (int f : frames) {
            String n = s.frames.name(f);
            boolean inside = false;
            for (String p : prefixes) {
                inside |= n.startsWith(p);
            }
            if (!inside) {
                return s.frames.site(f);
            }
        }
        return frames.length == 0 ? null : s.frames.site(frames[0]);
    }

    /** Up to max frames of a stack, leaf first, as "Class.method:line". */
    static List<String> frames(Summary s, int stackId, int max) {
        int[] frames = s.stacks.frames(stackId);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(max, frames.length); i++) {
            out.add(s.frames.site(frames[i]));
        }
        return out;
    }
}
