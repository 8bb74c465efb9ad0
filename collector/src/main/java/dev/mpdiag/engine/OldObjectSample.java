package dev.mpdiag.engine;

import java.util.List;

/**
 * One sampled object that was still alive when JFR wrote it (jdk.OldObjectSample): a leak candidate.
 *
 * @param className the object's class ("byte[]", "com.acme.Entry")
 * @param allocationStack stack id of the allocation site, or -1 when none was recorded
 * @param allocationTicks JFR's raw tick count at allocation; with the class and heap usage it identifies the same
 *     sample when JFR writes it again (it does at every cut while the object lives), since the epoch time derived
 *     from it differs by a few nanoseconds from chunk to chunk
 * @param allocationMillis epoch milliseconds of the allocation
 * @param ageNanos how long the object had lived when JFR wrote the sample
 * @param heapUsedBytes heap used after the last GC before the allocation (JFR's lastKnownHeapUsage)
 * @param arrayLength the element count of an array, or -1
 * @param chain who holds the object, from its direct referrer up to the GC root, one step each: "Class.field",
 *     "ElementClass[][index]", "Class.field (static)", "(3 more)" for steps JFR skipped, and last "root: ...";
 *     empty when the recording asked for no paths to GC roots (cutoff 0)
 * @param rootKind the GC root's system and type ("Class Loader Data", "Threads: Stack Variable"), or null
 */
public record OldObjectSample(String className, int allocationStack, long allocationTicks, long allocationMillis,
        long ageNanos, long heapUsedBytes, int arrayLength, List<String> chain, String rootKind) {

    public OldObjectSample {
        chain = List.copyOf(chain);
    }

    OldObjectSample withStack(int stackId) {
        return new OldObjectSample(className, stackId, allocationTicks, allocationMillis, ageNanos, heapUsedBytes,
                arrayLength, chain, rootKind);
    }

    OldObjectSample withChain(List<String> path, String root) {
        return new OldObjectSample(className, allocationStack, allocationTicks, allocationMillis, ageNanos, heapUsedBytes,
                arrayLength, path, root);
    }

    /** The chain reaches a static field ("... (static)"). */
    public boolean heldByStatic() {
        for (String step : chain) {
            if (step.endsWith(" (static)")) {
                return true;
            }
        }
        return false;
    }
}
