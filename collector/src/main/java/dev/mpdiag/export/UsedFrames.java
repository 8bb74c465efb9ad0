package dev.mpdiag.export;

import dev.mpdiag.engine.Profile;
import dev.mpdiag.engine.Summary;
import java.util.Arrays;

/** Dense indexes, in first-use order, for the frames that one profile's exported stacks refer to. */
final class UsedFrames {
    private final int[] indexOf;
    private final int[] frameIds;
    private final int size;

    UsedFrames(Summary s, Profile p) {
        // A summary holds every profile type's frames; exporting one type should not carry the others'.
        indexOf = new int[s.frames.size()];
        Arrays.fill(indexOf, -1);
        frameIds = new int[indexOf.length];
        int n = 0;
        int bound = stackBound(s, p);
        for (int stack = 0; stack < bound; stack++) {
            if (!exported(p, stack)) {
                continue;
            }
            for (int frame : s.stacks.frames(stack)) {
                if (indexOf[frame] < 0) {
                    indexOf[frame] = n;
                    frameIds[n++] = frame;
                }
            }
        }
        size = n;
    }

    /** Stack ids of p are below this. */
    static int stackBound(Summary s, Profile p) {
        return Math.min(p.capacity(), s.stacks.size());
    }

    /** A stack is exported when it carries any weight or any event. */
    static boolean exported(Profile p, int stackId) {
        return p.weight(stackId) != 0 || p.count(stackId) != 0;
    }

    int size() {
        return size;
    }

    /** Dense index of a frame id, or -1 when no exported stack uses it. */
    int indexOf(int frameId) {
        return indexOf[frameId];
    }

    int frameId(int index) {
        return frameIds[index];
    }
}
