package dev.mpdiag.engine;

/**
 * The sub-second heatmap of one or more {@link Heat}s: a column per second, a row per slice of it (50 rows
 * of 20 ms by default, as FlameScope draws), each cell the summed weight of the samples in it. Built in two
 * passes over the same heats, bounds then sums, so nothing is kept per sample.
 */
public final class HeatMatrix {
    /** An hour of columns; a longer range keeps its latest hour and says so. */
    public static final int MAX_COLUMNS = 3600;

    public final int rowMillis;
    public final int rows;
    /** Epoch millis of column 0's first row. */
    public final long fromMillis;
    public final int columns;
    /** The range had more than MAX_COLUMNS seconds of data; the earliest were left out. */
    public final boolean truncated;
    private final long[] cells;
    // The range asked for, in 20 ms cells: the columns are whole seconds, the cells counted only those inside it.
    private final long fromCell;
    private final long endCell;

    private HeatMatrix(int rowMillis, long fromMillis, int columns, boolean truncated, long fromCell, long endCell) {
        this.fromCell = fromCell;
        this.endCell = endCell;
        this.rowMillis = rowMillis;
        this.rows = 1000 / rowMillis;
        this.fromMillis = fromMillis;
        this.columns = columns;
        this.truncated = truncated;
        this.cells = new long[columns * rows];
    }

    /** Row sizes that divide both a second and the 20 ms cell evenly. */
    public static boolean validRowMillis(int ms) {
        return ms >= Heat.CELL_MILLIS && ms <= 1000 && 1000 % ms == 0 && ms % Heat.CELL_MILLIS == 0;
    }

    /** Tracks the first and last cell of the heats within a range, for sizing. */
    public static final class Bounds {
        private final long fromCell;
        private final long endCell;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        /** Cells whose start lies in [fromMillis, toMillis). */
        public Bounds(long fromMillis, long toMillis) {
            fromCell = Math.floorDiv(fromMillis + Heat.CELL_MILLIS - 1, Heat.CELL_MILLIS);
            endCell = toMillis >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE : Math.floorDiv(toMillis + Heat.CELL_MILLIS - 1, Heat.CELL_MILLIS);
        }

        public void include(Heat h) {
            for (int i = 0; i < h.size(); i++) {
                long c = h.cell(i);
                if (c >= fromCell && c < endCell && h.weight(i) != 0) {
                    first = Math.min(first, c);
                    last = Math.max(last, c);
                }
            }
        }

        public boolean isEmpty() {
            return first > last;
        }

        /** An empty matrix covering the seconds seen (the latest MAX_COLUMNS of them); null when none were. */
        public HeatMatrix matrix(int rowMillis) {
            if (isEmpty()) {
                return null;
            }
            long firstSecond = Math.floorDiv(first * Heat.CELL_MILLIS, 1000);
            long lastSecond = Math.floorDiv(last * Heat.CELL_MILLIS, 1000);
            boolean cut = lastSecond - firstSecond + 1 > MAX_COLUMNS;
            if (cut) {
                firstSecond = lastSecond - MAX_COLUMNS + 1;
            }
            return new HeatMatrix(rowMillis, firstSecond * 1000, (int) (lastSecond - firstSecond + 1), cut, fromCell, endCell);
        }
    }

    /** An empty matrix with the same columns and rows, for one process of a merged set. */
    public HeatMatrix sameShape() {
        return new HeatMatrix(rowMillis, fromMillis, columns, truncated, fromCell, endCell);
    }

    /** Adds the heat's cells that fall inside this matrix and the range it was sized for. */
    public void add(Heat h) {
        long span = (long) columns * 1000;
        for (int i = 0; i < h.size(); i++) {
            if (h.cell(i) < fromCell || h.cell(i) >= endCell) {
                continue;
            }
            long offset = h.cell(i) * Heat.CELL_MILLIS - fromMillis;
            if (offset >= 0 && offset < span) {
                int column = (int) (offset / 1000);
                int row = (int) (offset % 1000) / rowMillis;
                cells[column * rows + row] += h.weight(i);
            }
        }
    }

    public void add(HeatMatrix other) {
        for (int i = 0; i < cells.length; i++) {
            cells[i] += other.cells[i];
        }
    }

    public long at(int column, int row) {
        return cells[column * rows + row];
    }

    /** Column-major: cell (column, row) at column * rows + row. */
    public long[] cells() {
        return cells;
    }

    public long max() {
        long m = 0;
        for (long c : cells) {
            m = Math.max(m, c);
        }
        return m;
    }

    public long total() {
        long t = 0;
        for (long c : cells) {
            t += c;
        }
        return t;
    }

    /** Epoch millis just after the last column. */
    public long endMillis() {
        return fromMillis + (long) columns * 1000;
    }
}
