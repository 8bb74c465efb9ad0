package dev.mpdiag.engine;

/** Who a recording came from: pid, JVM, command line and start time (from jdk.JVMInformation). */
public final class JvmInfo {
    public long pid = -1;
    public String jvmName;
    public String jvmVersion;
    public String jvmArguments;
    public String javaArguments;
    public long startMillis = -1;

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
