package dev.mpdiag.server.store;

import java.io.IOException;
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
public final class Store {
    private final Path root;
    private final Path processesDir;
    private final ConcurrentHashMap<String, ProcessStore> processes = new ConcurrentHashMap<>();
    public final SummaryCache cache;

    private Store(Path root, long cacheBytes) {
        this.root = root;
        this.processesDir = root.resolve("processes");
        this.cache = new SummaryCache(cacheBytes);
    }

    /** Opens (creating if needed) a data directory and loads every process in it. */
    public static Store open(Path root, long cacheBytes, Consumer<String> warn) throws IOException {
        Store s = new Store(root.toAbsolutePath().normalize(), cacheBytes);
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

    /** The process with this identity, created (and saved durably) on first use. */
    public synchronized ProcessStore getOrCreate(ProcessIdentity identity, Consumer<ProcessMeta> init)
            throws IOException {
        ProcessStore p = processes.get(identity.id());
        if (p != null) {
            return p;
        }
        ProcessMeta m = new ProcessMeta();
        m.id = identity.id();
        m.service = identity.service();
        m.host = identity.host();
        m.pid = identity.pid();
        m.startMillis = identity.startMillis();
        init.accept(m);
        p = ProcessStore.create(processesDir, m);
        processes.put(p.id(), p);
        return p;
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
    synchronized void remove(ProcessStore p) throws IOException {
        processes.remove(p.id());
        p.deleteAll();
    }
}
