import dev.mpdiag.engine.ChunkSummarizer;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.SummaryCodec;
import dev.mpdiag.jfr.ChunkSplitter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap a decoded chunk summary takes per byte of its encoded form: what the collector's SummaryCache must
 * charge per encoded byte to stay within --cache. Summarizes each chunk of a recording, then decodes 400 of the
 * encoded summaries (in turn) into a list and measures the heap they hold after full GCs.
 * <pre>
 * java -Xmx2g -cp collector/target/mpdiag.jar bench/src/SummaryHeap.java collector/target/recordings/agent-chunks.jfr
 * </pre>
 * 2026-12-07, mpagent chunks of SimulatedAgentsIT (default profile, 5 s cuts): 6.1 KB encoded, 71.9 KB in heap,
 * 11.8 heap bytes per encoded byte (the cache had assumed 4).
 */
public class SummaryHeap {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SummaryHeap RECORDING.jfr");
            System.exit(2);
        }
        List<byte[]> encoded = new ArrayList<>();
        for (ByteBuffer c : ChunkSplitter.split(Path.of(args[0])).chunks()) {
            encoded.add(SummaryCodec.encode(ChunkSummarizer.summarize(c.duplicate())));
        }
        int n = 400;
        List<Summary> held = new ArrayList<>();
        long encodedBytes = 0;
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            byte[] e = encoded.get(i % encoded.size());
            held.add(SummaryCodec.decode(e));
            encodedBytes += e.length;
        }
        long heap = usedAfterGc() - before;
        System.out.printf("%d summaries of %d chunks: %.1f KB encoded, %.1f KB in heap each: %.1f heap bytes per "
                + "encoded byte%n", held.size(), encoded.size(), encodedBytes / 1024.0 / n, heap / 1024.0 / n,
                heap / (double) encodedBytes);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
