package dev.mpdiag.agent;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads this process's descriptor, thread, context-switch and RSS counts from Linux /proc.
 *
 * <p>{@link #sample()} returns false when /proc is absent (not Linux); a count whose source could not be
 * read is {@link #UNAVAILABLE}. Buffers are reused across samples, so one instance serves one sampling
 * thread (JFR's periodic thread); the accessors report the last sample.
 */
final class ProcResourceReader {

    static final long UNAVAILABLE = -1;

    private static final String DEFAULT_SELF = "/proc/self";
    private static final long BYTES_PER_KIB = 1024;
    // /proc/<pid>/status is about 1.5 KB; the cap keeps a surprise from growing the buffer without bound.
    private static final int INITIAL_BUFFER = 4096;
    private static final int MAX_BUFFER = 64 * 1024;

    private static final byte[] VM_RSS = ascii("VmRSS:");
    private static final byte[] VOLUNTARY = ascii("voluntary_ctxt_switches:");
    private static final byte[] NONVOLUNTARY = ascii("nonvoluntary_ctxt_switches:");
    private static final byte[] MAX_OPEN_FILES = ascii("Max open files");

    private final String self;
    private final File fdDir;
    private final File taskDir;
    private final String statusFile;
    private final String limitsFile;
    private final boolean available;
    private final StringBuilder path = new StringBuilder(64);
    private byte[] buf = new byte[INITIAL_BUFFER];
    private Path fdPath;
    private final FdPathPatterns patterns = new FdPathPatterns();
    private boolean withPatterns;

    private long fdTotal = UNAVAILABLE;
    private long fdFile = UNAVAILABLE;
    private long fdSocket = UNAVAILABLE;
    private long fdPipe = UNAVAILABLE;
    private long fdOther = UNAVAILABLE;
    private long threads = UNAVAILABLE;
    private long ctxVoluntary = UNAVAILABLE;
    private long ctxInvoluntary = UNAVAILABLE;
    private long rssBytes = UNAVAILABLE;
    private long fdLimit = UNAVAILABLE;

    ProcResourceReader() {
        this(DEFAULT_SELF);
    }

    /** {@code self} is the /proc/self directory; tests point it elsewhere to see the non-Linux path. */
    ProcResourceReader(String self) {
        this.self = self;
        this.fdDir = new File(self, "fd");
        this.taskDir = new File(self, "task");
        this.statusFile = self + "/status";
        this.limitsFile = self + "/limits";
        this.available = taskDir.isDirectory();
    }

    /** True when /proc/self exists, i.e. on Linux. */
    boolean available() {
        return available;
    }

    /** Takes a full sample; returns false, leaving every count at -1, when /proc is absent. Never throws. */
    synchronized boolean sample() {
        return sample(true);
    }

    /**
     * Takes one sample. A full one also reads every thread's context switches and counts file descriptors by
     * path pattern ({@link #patterns()}); a light one leaves those at -1 and empty. Reading
     * /proc/self/task/TID/status for every thread is most of a sample's cost (JFR's periodic thread went from 3.3 to
     * 1.8 ms/s per sample-service worker when it moved to every fifth sample), and
     * rates of switches need no more than a point every few seconds.
     */
    synchronized boolean sample(boolean full) {
        this.withPatterns = full;
        patterns.clear();
        if (!available) {
            return false;
        }
        // Descriptors first, so the files this method opens later are not counted.
        readDescriptors();
        readTasks(full);
        readRss();
        fdLimit = full ? readFdLimit() : UNAVAILABLE;
        return true;
    }

    long fdTotal() {
        return fdTotal;
    }

    long fdFile() {
        return fdFile;
    }

    long fdSocket() {
        return fdSocket;
    }

    long fdPipe() {
        return fdPipe;
    }

    long fdOther() {
        return fdOther;
    }

    /** File descriptors by path pattern, from the last sample taken with patterns. */
    FdPathPatterns patterns() {
        return patterns;
    }

    long threads() {
        return threads;
    }

    long ctxVoluntary() {
        return ctxVoluntary;
    }

    long ctxInvoluntary() {
        return ctxInvoluntary;
    }

    /** The descriptor limit on full samples (a process rarely changes it), else -1. */
    long fdLimit() {
        return fdLimit;
    }

    long rssBytes() {
        return rssBytes;
    }

    private void readDescriptors() {
        fdTotal = fdFile = fdSocket = fdPipe = fdOther = UNAVAILABLE;
        // File.list() closes its directory descriptor before returning, so that descriptor shows up in
        // the listing but is gone by the readlink below and is skipped like any other vanished one.
        String[] names = fdDir.list();
        if (names == null) {
            return;
        }
        try {
            if (fdPath == null) {
                fdPath = fdDir.toPath();
            }
            long file = 0;
            long socket = 0;
            long pipe = 0;
            long other = 0;
            for (String name : names) {
                String target;
                try {
                    target = Files.readSymbolicLink(fdPath.resolve(name)).toString();
                } catch (NoSuchFileException closedSinceListing) {
                    continue;
                }
                if (target.startsWith("socket:")) {
                    socket++;
                } else if (target.startsWith("pipe:")) {
                    pipe++;
                } else if (target.startsWith("/")) {
                    file++;
                    if (withPatterns) {
                        patterns.add(target);
                    }
                } else {
                    other++;
                }
            }
            fdFile = file;
            fdSocket = socket;
            fdPipe = pipe;
            fdOther = other;
            fdTotal = file + socket + pipe + other;
        } catch (IOException | RuntimeException e) {
            // A link we may not read (not a race): report "unknown" rather than a wrong split.
            patterns.clear();
            fdTotal = fdFile = fdSocket = fdPipe = fdOther = UNAVAILABLE;
        }
    }

    private void readTasks(boolean switches) {
        threads = ctxVoluntary = ctxInvoluntary = UNAVAILABLE;
        String[] tids = taskDir.list();
        if (tids == null) {
            return;
        }
        threads = tids.length;
        if (!switches) {
            return;
        }
        long voluntary = 0;
        long involuntary = 0;
        boolean anyRead = false;
        for (String tid : tids) {
            path.setLength(0);
            path.append(self).append("/task/").append(tid).append("/status");
            int len = readFile(path.toString());
            if (len < 0) {
                continue; // the thread exited after the listing
            }
            long v = valueOf(len, VOLUNTARY);
            long nv = valueOf(len, NONVOLUNTARY);
            if (v >= 0 && nv >= 0) {
                voluntary += v;
                involuntary += nv;
                anyRead = true;
            }
        }
        if (anyRead) {
            ctxVoluntary = voluntary;
            ctxInvoluntary = involuntary;
        }
    }

    private void readRss() {
        rssBytes = UNAVAILABLE;
        int len = readFile(statusFile);
        if (len < 0) {
            return;
        }
        long kib = valueOf(len, VM_RSS);
        if (kib >= 0) {
            rssBytes = kib * BYTES_PER_KIB;
        }
    }

    /** The soft limit of open descriptors (RLIMIT_NOFILE) from /proc/self/limits; -1 when unlimited or unreadable. */
    private long readFdLimit() {
        int len = readFile(limitsFile);
        return len < 0 ? UNAVAILABLE : valueOf(len, MAX_OPEN_FILES);
    }

    /** Reads a whole (small) file into {@link #buf}; returns its length, or -1 if it cannot be read. */
    private int readFile(String file) {
        try (FileInputStream in = new FileInputStream(file)) {
            int len = 0;
            while (true) {
                if (len == buf.length) {
                    if (buf.length >= MAX_BUFFER) {
                        return len; // the lines we want come early enough; parse what fits
                    }
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    return len;
                }
                len += n;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Returns the number after {@code key} on the line starting with it, or -1. Keys match at line start
     * only, because "voluntary_ctxt_switches:" is also the tail of "nonvoluntary_ctxt_switches:".
     */
    private long valueOf(int len, byte[] key) {
        int i = 0;
        while (i < len) {
            if (startsWith(i, len, key)) {
                return parseLong(i + key.length, len);
            }
            while (i < len && buf[i] != '\n') {
                i++;
            }
            i++;
        }
        return -1;
    }

    private boolean startsWith(int at, int len, byte[] key) {
        if (at + key.length > len) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (buf[at + k] != key[k]) {
                return false;
            }
        }
        return true;
    }

    private long parseLong(int at, int len) {
        int i = at;
        while (i < len && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < len && buf[i] >= '0' && buf[i] <= '9') {
            value = value * 10 + (buf[i] - '0');
            digits++;
            i++;
        }
        return digits == 0 ? -1 : value;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
