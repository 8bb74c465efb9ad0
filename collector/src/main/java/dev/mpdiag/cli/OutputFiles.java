package dev.mpdiag.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Fails fast, before minutes of parsing, when an output file cannot be written. */
final class OutputFiles {
    private OutputFiles() {
    }

    static void checkWritable(Path... outputs) {
        for (Path p : outputs) {
            if (p == null) {
                continue;
            }
            if (Files.isDirectory(p)) {
                throw new Main.UsageException(p + ": is a directory; give a file name");
            }
            Path dir = p.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new Main.UsageException(p + ": directory " + dir + " does not exist");
            }
            if (dir != null && !Files.isWritable(dir)) {
                throw new Main.UsageException(p + ": directory " + dir + " is not writable");
            }
        }
    }
}
