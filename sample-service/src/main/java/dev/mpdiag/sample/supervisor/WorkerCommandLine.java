package dev.mpdiag.sample.supervisor;

import java.util.Collection;
import java.util.List;

/** How the supervisor starts worker i: the argv of one direct child process (no shell in between). */
@FunctionalInterface
interface WorkerCommandLine {
    List<String> build(int index, Collection<String> faults);
}
