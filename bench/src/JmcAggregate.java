import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmc.common.IMCFrame;
import org.openjdk.jmc.common.IMCMethod;
import org.openjdk.jmc.common.IMCStackTrace;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.flightrecorder.JfrAttributes;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.jdk.JdkFilters;

/**
 * The JMC baseline of bench/analyze-vs-peers.sh: CPU collapsed stacks from a .jfr file via JMC's loader.
 *
 * <p>{@code JfrLoaderToolkit.loadEvents} materializes every event of the file; the jdk.ExecutionSample
 * items are then counted per stack trace. JMC hands out one {@code IMCStackTrace} instance per constant-pool
 * entry, so counting by identity first and naming each distinct trace once is the cheap way to aggregate.
 * <pre>
 * java -Xmx2g -cp flightrecorder.jar:common.jar:encoder.jar:lz4-java.jar bench/src/JmcAggregate.java FILE [OUT]
 * </pre>
 * Writes collapsed stacks ("root;...;leaf count", frames as {@code package.Class.method}) to OUT if given,
 * and one summary line to stderr: samples, distinct stacks, load and aggregate seconds, live heap after load.
 */
public final class JmcAggregate {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: JmcAggregate FILE.jfr [OUT.collapsed]");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        IItemCollection events = JfrLoaderToolkit.loadEvents(new File(args[0]));
        long t1 = System.nanoTime();

        Map<IMCStackTrace, long[]> byTrace = new IdentityHashMap<>();
        long samples = 0;
        for (IItemIterable items : events.apply(JdkFilters.EXECUTION_SAMPLE)) {
            IMemberAccessor<IMCStackTrace, IItem> stackTrace =
                    JfrAttributes.EVENT_STACKTRACE.getAccessor(items.getType());
            for (IItem item : items) {
                byTrace.computeIfAbsent(stackTrace.getMember(item), k -> new long[1])[0]++;
                samples++;
            }
        }
        // the same stack in two chunks is two trace objects: merge them by name
        Map<String, long[]> byName = new HashMap<>();
        StringBuilder sb = new StringBuilder(1024);
        for (Map.Entry<IMCStackTrace, long[]> e : byTrace.entrySet()) {
            byName.computeIfAbsent(collapse(e.getKey(), sb), k -> new long[1])[0] += e.getValue()[0];
        }
        long t2 = System.nanoTime();

        // measured while the loaded events are still reachable, so this is what loadEvents keeps
        System.gc();
        long liveHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Reference.reachabilityFence(events);
        if (args.length > 1) {
            write(Path.of(args[1]), byName);
        }
        System.err.printf("jmc: samples=%d stacks=%d load_s=%.2f aggregate_s=%.2f live_heap_mb=%d%n",
                samples, byName.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, liveHeap >> 20);
    }

    /** Root first, like the collapsed format; JFR lists the top frame first. */
    static String collapse(IMCStackTrace trace, StringBuilder sb) {
        sb.setLength(0);
        if (trace == null) {
            return "[no stack]";
        }
        List<? extends IMCFrame> frames = trace.getFrames();
        for (int i = frames.size() - 1; i >= 0; i--) {
            IMCMethod method = frames.get(i).getMethod();
            if (sb.length() > 0) sb.append(';');
            sb.append(method.getType().getFullName()).append('.').append(method.getMethodName());
        }
        return sb.toString();
    }

    static void write(Path out, Map<String, long[]> byName) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, long[]> e : byName.entrySet()) {
                w.write(e.getKey());
                w.write(' ');
                w.write(Long.toString(e.getValue()[0]));
                w.write('\n');
            }
        }
    }
}
