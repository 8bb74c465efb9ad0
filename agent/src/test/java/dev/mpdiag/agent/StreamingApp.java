package dev.mpdiag.agent;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Child-JVM app for the streaming ITs: commits a numbered mpagenttest.Marker every 50 ms for run=MILLIS (or
 * until the file until=PATH exists), then marker LAST as the very last thing before main returns. With
 * mbean, it prints the agent MBean's attributes first. Prints key=value lines the tests read.
 */
public final class StreamingApp {

    static final long MARKER_PERIOD_MILLIS = 50;

    private StreamingApp() {
    }

    public static void main(String[] args) throws Exception {
        long runMillis = 0;
        Path until = null;
        boolean mbean = false;
        for (String a : args) {
            if (a.startsWith("run=")) {
                runMillis = Long.parseLong(a.substring(4));
            } else if (a.startsWith("until=")) {
                until = Path.of(a.substring(6));
            } else if (a.equals("mbean")) {
                mbean = true;
            }
        }
        System.out.println("feature=" + Runtime.version().feature());
        System.out.println("pid=" + ProcessHandle.current().pid());
        System.out.println("ready=true");
        long end = System.currentTimeMillis() + runMillis;
        long n = 0;
        while (until != null ? !Files.exists(until) : System.currentTimeMillis() < end) {
            MarkerEvent.commit(n++);
            Thread.sleep(MARKER_PERIOD_MILLIS);
        }
        System.out.println("markers=" + n);
        if (mbean) {
            printMBean();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("mpagent")) {
                System.out.println("thread=" + t.getName() + " daemon=" + t.isDaemon());
            }
        }
        System.out.println("main-returns-at=" + System.currentTimeMillis());
        MarkerEvent.commit(MarkerEvent.LAST);
    }

    private static void printMBean() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.mpdiag.agent:type=Agent");
        // The agent registers it at its first cut; wait for that (bounded).
        for (int i = 0; i < 200 && !server.isRegistered(name); i++) {
            Thread.sleep(50);
        }
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
            System.out.println("mbean." + a.getName() + "=" + server.getAttribute(name, a.getName()));
        }
    }
}
