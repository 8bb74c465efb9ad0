package dev.mpdiag.agent;

/**
 * The agent's health as a JMX MBean, registered as {@value #OBJECT_NAME}: the same counters every upload
 * carries in X-Mpdiag-Health, plus who this process is to the collector.
 */
public interface AgentHealthMBean {

    String OBJECT_NAME = "dev.mpdiag.agent:type=Agent";

    /** Bytes of JFR chunks the collector acknowledged. */
    long getShipped();

    /** Uploads the collector acknowledged. */
    long getUploads();

    /** Upload attempts that failed (connection error, timeout, 5xx) and were tried again. */
    long getRetries();

    /** Uploads (or cuts) dropped unsent because the spool was full or a cut was larger than it. */
    long getDrops();

    long getDroppedBytes();

    /** Uploads the collector refused with a 4xx answer; they are not retried. */
    long getRejected();

    /** Bytes currently waiting in the spool, memory and disk. */
    long getSpoolBytes();

    /**
     * CPU of mpagent's and JFR's threads as a share of this process's CPU over the last cut interval (0-1; -1 until
     * measured). Events written in the application's own threads are not in it.
     */
    double getCpuShare();

    /** The same share since the agent started. */
    double getCpuShareTotal();

    /** The last failure, with its time; empty when nothing has failed. */
    String getLastError();

    String getCollector();

    String getService();

    /** service/host/pid/startMillis, as the collector names this process. */
    String getProcessId();

    String getProfile();
}
