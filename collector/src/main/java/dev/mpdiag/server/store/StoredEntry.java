package dev.mpdiag.server.store;

/**
 * One acknowledged upload of a process: its sequence number, the time its chunks cover (epoch nanos), its
 * size, when it arrived, whether it was the process's last, and the start times of its chunks.
 */
public record StoredEntry(long seq, long startNanos, long endNanos, long bytes, long receivedMillis,
        boolean last, long[] chunkStarts) {

    /** True when the entry's time overlaps [fromMillis, toMillis]. */
    public boolean overlaps(long fromMillis, long toMillis) {
        return endNanos / 1_000_000L >= fromMillis && startNanos / 1_000_000L <= toMillis;
    }

    String toLine() {
        StringBuilder b = new StringBuilder();
        b.append(seq).append(' ').append(startNanos).append(' ').append(endNanos).append(' ').append(bytes)
                .append(' ').append(receivedMillis).append(' ').append(last ? 1 : 0).append(' ');
        if (chunkStarts.length == 0) {
            b.append('-');
        }
        for (int i = 0; i < chunkStarts.length; i++) {
            b.append(i == 0 ? "" : ",").append(chunkStarts[i]);
        }
        return b.append('\n').toString();
    }

    /** Parses an index line; null when it is damaged (a crash mid-append leaves a partial last line). */
    static StoredEntry parse(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 7) {
            return null;
        }
        try {
            String[] cs = f[6].equals("-") ? new String[0] : f[6].split(",");
            long[] starts = new long[cs.length];
            for (int i = 0; i < cs.length; i++) {
                starts[i] = Long.parseLong(cs[i]);
            }
            return new StoredEntry(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[4]), f[5].equals("1"), starts);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
