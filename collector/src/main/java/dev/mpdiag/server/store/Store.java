package dev.mpdiag.server.store;

import dev.mpdiag.engine.Summary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The collector's data directory: {@code processes/<id>/} per process. Everything the collector knows is
 * rebuilt from here at start.
 */
public final class Store implements AutoCloseable {
    private final Path root;
    private final Path processesDir;
    // Room for a few hundred processes from the start: getOrCreate holds a bin's lock while it creates a folder,
    // and a roomier table means fewer new processes share a bin (and wait for each other's fsyncs).
    private final ConcurrentHashMap<String, ProcessStore> processes = new ConcurrentHashMap<>(512);
    public final SummaryCache cache;
    private final SummaryWriter summaries;

    private Store(Path root, long cacheBytes, Consumer<String> warn) {
        this.root = root;
        this.processesDir = root.resolve("processes");
        this.cache = new SummaryCache(cacheBytes);
        this.summaries = new SummaryWriter(cache, warn);
    }

    /** Opens (creating if needed) a data directory and loads every process in it. */
    public static Store open(Path root, long cacheBytes, Consumer<String> warn) throws IOException {
        Store s = new Store(root.toAbsolutePath().normalize(), cacheBytes, warn);
        Files.createDirectories(s.processesDir);
        try (var dirs = Files.list(s.processesDir)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                if (!Files.isDirectory(d)) {
                    continue;
                }
                if (!Files.exists(d.resolve(ProcessStore.META))) {
                    // Created but never saved: a crash before its first upload was acknowledged.
                    deleteTree(d);
                    continue;
                }
                try {
                    ProcessStore p = ProcessStore.load(d, warn);
                    s.processes.put(p.id(), p);
                } catch (IOException | RuntimeException e) {
                    warn.accept("skipping unreadable process folder " + d.getFileName() + ": " + e.getMessage());
                }
            }
        }
        return s;
    }

    private static void deleteTree(Path d) throws IOException {
        try (var files = Files.list(d)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(d);
    }

    public Path root() {
        return root;
    }

    public ProcessStore get(String id) {
        return id == null ? null : processes.get(id);
    }

    /**
     * The process with this identity, created (and saved durably) on first use. Every upload asks, so a known
     * process is found without a lock, and creating one (three fsyncs) holds only the map's lock for its id:
     * with one lock for all, every upload waited behind every new process's fsyncs (JFR of bench/soak-load.sh,
     * 128 agents starting together on a busy machine: 300 to 1,000 s of threads' time blocked, up to 8 s at once).
     */
    public ProcessStore getOrCreate(ProcessIdentity identity, Consumer<ProcessMeta> init) throws IOException {
        ProcessStore p = processes.get(identity.id());
        if (p != null) {
            return p;
        }
        try {
            return processes.computeIfAbsent(identity.id(), id -> {
                ProcessMeta m = new ProcessMeta();
                m.id = id;
                m.service = identity.service();
                m.host = identity.host();
                m.pid = identity.pid();
                m.startMillis = identity.startMillis();
                init.accept(m);
                try {
                    return ProcessStore.create(processesDir, m);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Takes the summary of an upload {@link ProcessStore#store} just stored: served from memory at once, written
     * to disk after the upload's acknowledgement.
     */
    public void stored(ProcessStore p, long seq, Summary summary) {
        summaries.submit(p, seq, summary);
    }

    /** Writes the summaries still waiting to be written. */
    @Override
    public void close() {
        summaries.close();
    }

    /** Writes the process.json of each process whose meta changed since (see {@link ProcessStore#metaChanged}). */
    public void flushMeta(Consumer<String> warn) {
        for (ProcessStore p : processes.values()) {
            try {
                p.flushMeta();
            } catch (IOException e) {
                warn.accept(p.id() + ": could not save process.json: " + e.getMessage());
            }
        }
    }

    /** Every process, ordered by service, then start time, then id. */
    public List<ProcessStore> all() {
        List<ProcessStore> list = new ArrayList<>(processes.values());
        list.sort(Comparator.comparing((ProcessStore p) -> p.meta().service)
                .thenComparingLong(p -> p.meta().startMillis).thenComparing(ProcessStore::id));
        return list;
    }

    public long totalBytes() {
        long b = 0;
        for (ProcessStore p : processes.values()) {
            b += p.bytes();
        }
        return b;
    }

    /** Forgets a process whose data retention removed entirely. */
    void remove(ProcessStore p) throws IOException {
        try {
            // Under the map's lock for this id, so a new upload cannot create the folder while it is deleted.
            processes.computeIfPresent(p.id(), (id, old) -> {
                try {
                    old.deleteAll();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
