package dev.mpdiag.sample.worker.fault;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens files in a temporary directory and never closes them, {@value #PER_SECOND} a second in time (on whichever
 * requests come). Capped at {@value #MAX_CAP} files or half the descriptor limit, whichever is lower, so the worker
 * keeps serving: it fills in 20 s and then holds them, on a fast machine or a slow one.
 */
final class FdLeakFault implements Fault {
    static final int PER_SECOND = 50;
    static final int MAX_CAP = 1000;
    /** Followed by the pid of the worker that made the directory, so a later worker can remove it once that one died. */
    static final String DIR_PREFIX = "mpdiag-fd-leak-";

    /** The leak: open channels nobody closes. */
    private final List<FileChannel> open = new ArrayList<>();
    private final Pace pace;
    private Path dir;

    FdLeakFault() {
        this(new Pace(PER_SECOND, capFromLimit()));
    }

    FdLeakFault(Pace pace) {
        this.pace = pace;
    }

    @Override
    public String name() {
        return "fd-leak";
    }

    @Override
    public String description() {
        return "A descriptor leak: open file descriptors of kind file grow by 50 a second in time up to 1000 (or half "
                + "the limit) and are then held, all of them "
                + "regular files named leak-<n>.dat in one mpdiag-fd-leak-<pid>-* temporary directory, opened in "
                + "FdLeakFault.onRequest and never closed; sockets and pipes stay flat.";
    }

    @Override
    public void onRequest(long seq) throws IOException {
        long allowed = pace.allowed();
        synchronized (open) {
            while (open.size() < allowed) {
                if (dir == null) {
                    dir = Files.createTempDirectory(DIR_PREFIX + ProcessHandle.current().pid() + "-");
                    dir.toFile().deleteOnExit();
                    removeDirsOfDeadWorkers(dir.getParent());
                }
                Path file = dir.resolve("leak-" + (open.size() + 1) + ".dat");
                open.add(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
                // Registered after the directory, so deleted before it.
                file.toFile().deleteOnExit();
            }
        }
    }

    int openFiles() {
        synchronized (open) {
            return open.size();
        }
    }

    /** deleteOnExit does not run for a worker killed with -9; its files are removed by the next worker that leaks. */
    private static void removeDirsOfDeadWorkers(Path tmp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*-*")) {
            for (Path d : dirs) {
                String rest = d.getFileName().toString().substring(DIR_PREFIX.length());
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, rest.indexOf('-')));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).isEmpty()) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(d, "leak-*.dat")) {
                        for (Path f : files) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("fd-leak: cannot remove directories of dead workers: " + e);
        }
    }

    static int capFromLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
            return (int) Math.min(MAX_CAP, unix.getMaxFileDescriptorCount() / 2);
        }
        return MAX_CAP;
    }
}
