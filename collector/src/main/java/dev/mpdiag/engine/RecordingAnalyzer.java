package dev.mpdiag.engine;

import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.jfr.JfrFormatException;
import dev.mpdiag.jfr.Unpacker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Summarizes recordings: every file is split into chunks, the chunks are summarized in parallel on all
 * cores, and the chunk summaries are merged per process (one process per file, and files of the same
 * JVM, by pid and start time, together) and across all processes.
 */
public final class RecordingAnalyzer {
    /** Per-process summaries in input order, their merge, and what had to be skipped. */
    public record Result(List<ProcessSummary> processes, Summary merged, List<String> warnings) {
    }

    /** Named JFR bytes: a file, or an upload held in memory. */
    public record Input(String name, Path file, ByteBuffer bytes) {
        public static Input of(Path file) {
            return new Input(file.toString(), file, null);
        }

        public static Input of(String name, ByteBuffer bytes) {
            return new Input(name, null, bytes);
        }
    }

    /** Chunks up to this size are parsed from a heap copy (JDK chunks rotate at 12 MB by default). */
    private static final int HEAP_COPY_LIMIT = 64 << 20;

    private final int threads;
    private final Scope scope;

    public RecordingAnalyzer() {
        this(defaultThreads(), Scope.ALL);
    }

    public RecordingAnalyzer(Scope scope) {
        this(defaultThreads(), scope);
    }

    /** All cores, unless the system property mpdiag.threads says otherwise. */
    static int defaultThreads() {
        return Integer.getInteger("mpdiag.threads", Runtime.getRuntime().availableProcessors());
    }

    public RecordingAnalyzer(int threads, Scope scope) {
        this.threads = Math.max(1, threads);
        this.scope = scope;
    }

    public Result analyzeFiles(List<Path> files, Progress progress) throws IOException {
        List<Input> inputs = new ArrayList<>();
        for (Path f : files) {
            inputs.add(Input.of(f));
        }
        return analyze(inputs, progress);
    }

    public Result analyze(List<Input> inputs, Progress progress) throws IOException {
        List<ChunkSplitter.Split> splits = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Path> unpacked = new ArrayList<>();
        try {
            long totalBytes = 0;
            for (Input in : inputs) {
                ChunkSplitter.Split split = split(in, progress, warnings, unpacked);
                if (split.warning() != null) {
                    warnings.add(in.name + ": " + split.warning());
                }
                splits.add(split);
                for (ByteBuffer c : split.chunks()) {
                    totalBytes += c.limit();
                }
            }
            return merge(inputs, summarizeAll(inputs, splits, totalBytes, progress, warnings), warnings);
        } finally {
            // The temporary copies of compressed inputs go as soon as their chunks are summarized (a mapped
            // file may be deleted while mapped; deleteOnExit covers a platform that refuses).
            for (Path p : unpacked) {
                Files.deleteIfExists(p);
            }
        }
    }

    // Splits one input into chunks, unpacking it first when it is gzip or zip.
    private static ChunkSplitter.Split split(Input in, Progress progress, List<String> warnings, List<Path> unpacked)
            throws IOException {
        try {
            if (in.file != null) {
                Unpacker.Packing packing = Unpacker.packingOf(in.file);
                if (packing == Unpacker.Packing.NONE) {
                    return ChunkSplitter.split(in.file);
                }
                long size = Files.size(in.file);
                String what = "unpacking " + in.file.getFileName();
                Unpacker.UnpackedFile u = Unpacker.unpack(in.file, packing, tmpDir(),
                        read -> progress.update(read, size, what));
                unpacked.add(u.file());
                if (u.warning() != null) {
                    warnings.add(in.name + ": " + u.warning());
                }
                return unpackedSplit(() -> ChunkSplitter.split(u.file()), packing);
            }
            Unpacker.Packing packing = Unpacker.packingOf(in.bytes);
            if (packing == Unpacker.Packing.NONE) {
                return ChunkSplitter.split(in.bytes);
            }
            Unpacker.UnpackedBytes u = Unpacker.unpack(in.bytes, packing, Integer.MAX_VALUE - 16);
            if (u.warning() != null) {
                warnings.add(in.name + ": " + u.warning());
            }
            return unpackedSplit(() -> ChunkSplitter.split(u.bytes()), packing);
        } catch (JfrFormatException e) {
            throw new InputException(in.name, e.getMessage());
        } catch (IOException e) {
            throw new InputException(in.name, "cannot read: " + e.getMessage());
        }
    }

    private interface Splitting {
        ChunkSplitter.Split split() throws IOException;
    }

    // "gzip-compressed, but what it holds is not a JFR file", so the user knows the unpacking went well.
    private static ChunkSplitter.Split unpackedSplit(Splitting s, Unpacker.Packing packing) throws IOException {
        try {
            return s.split();
        } catch (JfrFormatException e) {
            throw new JfrFormatException(packing.name().toLowerCase(java.util.Locale.ROOT)
                    + "-compressed, but what it holds is " + e.getMessage());
        }
    }

    private static Path tmpDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private Result merge(List<Input> inputs, Summary[] perInput, List<String> warnings) {
        Map<String, ProcessSummary> byProcess = new LinkedHashMap<>();
        Summary merged = new Summary();
        for (int i = 0; i < inputs.size(); i++) {
            Summary s = perInput[i];
            String name = inputs.get(i).name;
            String key = s.jvm.isKnown() ? s.jvm.processKey() : name;
            ProcessSummary existing = byProcess.get(key);
            if (existing == null) {
                List<String> sources = new ArrayList<>();
                sources.add(name);
                byProcess.put(key, new ProcessSummary(key, label(s, name), sources, s));
            } else {
                existing.summary().merge(s);
                existing.sources().add(name);
            }
            merged.merge(s);
        }
        return new Result(new ArrayList<>(byProcess.values()), merged, warnings);
    }

    /** What one chunk task produced: a summary, or the reason the chunk was skipped. */
    private record ChunkResult(int seq, int input, int chunkNo, int bytes, Summary summary, Exception error) {
    }

    private Summary[] summarizeAll(List<Input> inputs, List<ChunkSplitter.Split> splits, long totalBytes,
            Progress progress, List<String> warnings) throws IOException {
        Summary[] perInput = new Summary[inputs.size()];
        int[] good = new int[inputs.size()];
        String[] firstError = new String[inputs.size()];
        for (int i = 0; i < perInput.length; i++) {
            perInput[i] = new Summary();
        }
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mpdiag-parse-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<ChunkResult> done = new ExecutorCompletionService<>(pool);
            int tasks = 0;
            for (int i = 0; i < splits.size(); i++) {
                List<ByteBuffer> chunks = splits.get(i).chunks();
                for (int c = 0; c < chunks.size(); c++) {
                    int seq = tasks++;
                    int input = i;
                    int chunkNo = c;
                    ByteBuffer chunk = chunks.get(c);
                    done.submit(() -> {
                        try {
                            return new ChunkResult(seq, input, chunkNo, chunk.limit(),
                                    ChunkSummarizer.summarize(onHeap(chunk), scope), null);
                        } catch (JfrFormatException | RuntimeException e) {
                            return new ChunkResult(seq, input, chunkNo, chunk.limit(), null, e);
                        }
                    });
                }
            }
            // Chunks finish in any order but are merged in file order, so frame and stack ids, and with
            // them every output's order, are the same from run to run.
            TreeMap<Integer, ChunkResult> pending = new TreeMap<>();
            int next = 0;
            long bytesDone = 0;
            for (int t = 0; t < tasks; t++) {
                ChunkResult r = done.take().get();
                bytesDone += r.bytes();
                pending.put(r.seq(), r);
                while (!pending.isEmpty() && pending.firstKey() == next) {
                    ChunkResult inOrder = pending.pollFirstEntry().getValue();
                    next++;
                    int input = inOrder.input();
                    if (inOrder.summary() != null) {
                        perInput[input].merge(inOrder.summary());
                        good[input]++;
                    } else {
                        Exception e = inOrder.error();
                        String why = e instanceof JfrFormatException ? e.getMessage() : "unreadable (" + e + ")";
                        warnings.add(inputs.get(input).name + ": skipped chunk " + (inOrder.chunkNo() + 1) + ": " + why);
                        if (firstError[input] == null) {
                            firstError[input] = why;
                        }
                    }
                }
                progress.update(bytesDone, totalBytes, "chunks " + (t + 1) + "/" + tasks);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < perInput.length; i++) {
            if (good[i] == 0) {
                throw new InputException(inputs.get(i).name, "no readable chunk"
                        + (firstError[i] == null ? "" : ": " + firstError[i]));
            }
        }
        return perInput;
    }

    /**
     * A mapped chunk copied to the heap when it is small enough: array reads are much faster than a mapped
     * buffer's until the JIT has warmed up. Each parse thread reuses one buffer (a summary keeps no reference
     * to the bytes), which spares allocating and zeroing a fresh multi-megabyte array per chunk.
     */
    private static ByteBuffer onHeap(ByteBuffer chunk) {
        if (!chunk.isDirect() || chunk.limit() > HEAP_COPY_LIMIT) {
            return chunk;
        }
        byte[] buf = CHUNK_BUFFER.get();
        if (buf.length < chunk.limit()) {
            buf = new byte[Math.max(chunk.limit(), Math.min(HEAP_COPY_LIMIT, buf.length * 2))];
            CHUNK_BUFFER.set(buf);
        }
        chunk.get(0, buf, 0, chunk.limit());
        return ByteBuffer.wrap(buf, 0, chunk.limit()).slice();
    }

    private static final ThreadLocal<byte[]> CHUNK_BUFFER = ThreadLocal.withInitial(() -> new byte[0]);

    private static String label(Summary s, String name) {
        String file = Path.of(name).getFileName() == null ? name : Path.of(name).getFileName().toString();
        if (!s.jvm.isKnown()) {
            return file;
        }
        return "pid " + s.jvm.pid + commandSummary(s.jvm.javaArguments) + " (" + file + ")";
    }

    /**
     * The main class or jar (its file name, not its path) and the first few arguments, which for the workers of
     * one service are what tells them apart ("sample-service.jar worker --index 1").
     */
    static String commandSummary(String javaArguments) {
        if (javaArguments == null || javaArguments.isBlank()) {
            return "";
        }
        String[] words = javaArguments.trim().split("\\s+");
        int slash = words[0].lastIndexOf('/');
        StringBuilder b = new StringBuilder(" ").append(slash >= 0 ? words[0].substring(slash + 1) : words[0]);
        for (int i = 1; i < Math.min(words.length, 4); i++) {
            b.append(' ').append(words[i]);
        }
        if (words.length > 4) {
            b.append(" ...");
        }
        return b.toString();
    }
}
