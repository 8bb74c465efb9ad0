package dev.mpdiag.sample.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of this machine as /proc shows them at one moment (Linux only): pid, parent pid, state
 * letter and command line, to find a test run's processes by a marker in their command line and to tell
 * a zombie (state Z: exited, not yet reaped by its parent) from a running process.
 */
final class ProcTable {
    /** Clock ticks per second of /proc's times: 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final long USER_HZ = 100;

    /** One process; {@code cmdline} has its NUL separators replaced by spaces, empty for a zombie. */
    record Proc(long pid, long ppid, char state, String cmdline) {
        boolean zombie() {
            return state == 'Z';
        }

        @Override
        public String toString() {
            return pid + "(ppid " + ppid + ", " + state + ")";
        }
    }

    private ProcTable() {
    }

    /** Every process readable right now; one that exits while it is read is left out. */
    static List<Proc> snapshot() throws IOException {
        List<Proc> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                Proc p = read(Long.parseLong(dir.getFileName().toString()));
                if (p != null) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The process pid, or null when there is none (not even a zombie). */
    static Proc read(long pid) throws IOException {
        Path dir = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
            // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so the fields follow the last ')'
            int close = stat.lastIndexOf(')');
            String[] fields = stat.substring(close + 2).split(" ", 3);
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            String cmdline = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            return new Proc(pid, Long.parseLong(fields[1]), fields[0].charAt(0), cmdline);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // ESRCH while reading: it exited between opening and reading
            if (!Files.isDirectory(dir)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * How long ago pid was started, from its start time in /proc/PID/stat against /proc/uptime (both at the
     * kernel's clock tick, 10 ms with the usual USER_HZ of 100), or -1 when it is gone. Not from
     * ProcessHandle.Info: that adds a boot time rounded to the second.
     */
    static long ageMillis(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            String uptime = Files.readString(Path.of("/proc", "uptime"), StandardCharsets.ISO_8859_1);
            // after the comm: state is field 3 of stat, starttime field 22
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]);
            double upSeconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            return Math.round(upSeconds * 1000) - startTicks * 1000 / USER_HZ;
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    /** Processes whose command line holds {@code marker} (a zombie's is empty: find those by parent). */
    static List<Proc> withMarker(String marker) throws IOException {
        List<Proc> out = new ArrayList<>();
        for (Proc p : snapshot()) {
            if (p.cmdline().contains(marker)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The children of {@code parent}, zombies included. */
    static List<Proc> childrenOf(long parent) throws IOException {
        List<Proc> out = new ArrayList<>();
        for (Proc p : snapshot()) {
            if (p.ppid() == parent) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
