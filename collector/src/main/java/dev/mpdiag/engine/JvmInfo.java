package dev.mpdiag.engine;

/**
 * Who a recording came from: pid, JVM, command line and start time (from jdk.JVMInformation), and the heap
 * limit (jdk.GCHeapConfiguration, else the reserved heap of jdk.GCHeapSummary).
 */
public final class JvmInfo {
    public long pid = -1;
    public String jvmName;
    public String jvmVersion;
    public String jvmArguments;
    public String javaArguments;
    public long startMillis = -1;
    /** The most the heap may grow to (-Xmx), or -1 when the recording does not say. */
    public long maxHeapBytes = -1;

    public boolean isKnown() {
        return pid > 0 || startMillis > 0;
    }

    /** Stable identity: pid plus start time, which tells apart a restarted process that reused a pid. */
    public String processKey() {
        return pid + "@" + startMillis;
    }

    void fillFrom(JvmInfo o) {
        if (pid <= 0) {
            pid = o.pid;
        }
        if (startMillis <= 0) {
            startMillis = o.startMillis;
        }
        if (maxHeapBytes <= 0) {
            maxHeapBytes = o.maxHeapBytes;
        }
        if (jvmName == null) {
            jvmName = o.jvmName;
        }
        if (jvmVersion == null) {
            jvmVersion = o.jvmVersion;
        }
        if (jvmArguments == null) {
            jvmArguments = o.jvmArguments;
        }
        if (javaArguments == null) {
            javaArguments = o.javaArguments;
        }
    }
}
