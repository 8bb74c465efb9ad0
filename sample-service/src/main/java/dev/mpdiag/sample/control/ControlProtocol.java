package dev.mpdiag.sample.control;

import java.nio.file.Path;
import java.util.List;

/**
 * The line protocol between the supervisor and each worker, over a Unix domain socket per worker (the
 * shared HTTP port cannot address one worker: the kernel picks which one accepts). One request line, one
 * response line, UTF-8, then the connection may carry further requests.
 *
 * <pre>
 * STATUS                  -> {"index":0,"pid":123,"port":8080,"uptimeMillis":5000,"requests":42,"faults":["fd-leak"]}
 * FAULT &lt;name&gt; on|off    -> OK | ERR &lt;reason&gt;
 * DRAIN                   -> OK   (stop accepting, finish in-flight requests, then the worker exits 0)
 * </pre>
 */
public final class ControlProtocol {
    public static final String STATUS = "STATUS";
    public static final String FAULT = "FAULT";
    public static final String DRAIN = "DRAIN";
    public static final String OK = "OK";
    public static final String ERR = "ERR";

    /** Planted faults, by the names used on the command line, the admin API and this protocol. */
    public static final List<String> FAULTS = List.of(
            "contention", "alloc-burst", "heap-leak", "thread-leak", "fd-leak", "slow-worker", "ctx-storm");

    /**
     * Environment variable holding the supervisor's pid, set for each worker it starts: a worker whose
     * supervisor died before the worker's main ran has already been reparented, and only this tells it so.
     */
    public static final String SUPERVISOR_PID_ENV = "MP_SUPERVISOR_PID";

    /** Response header naming the worker that answered: "index/pid". */
    public static final String WORKER_HEADER = "X-Mpdiag-Worker";

    private ControlProtocol() {
    }

    /** Where worker i listens, inside the directory the supervisor created for this run. */
    public static Path socketPath(Path dir, int index) {
        return dir.resolve("worker-" + index + ".sock");
    }
}
