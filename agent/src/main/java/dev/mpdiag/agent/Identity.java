package dev.mpdiag.agent;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;

/** Who this process is to the collector: service/host/pid/start plus labels, as upload headers want them. */
final class Identity {

    final String service;
    final String profile;
    final long pid;
    final String labels;
    private volatile String host;
    private volatile long startMillis = -1;

    Identity(String service, String profile, Map<String, String> labels) {
        this.service = service;
        this.profile = profile;
        this.pid = ProcessHandle.current().pid();
        StringJoiner form = new StringJoiner("&");
        for (Map.Entry<String, String> e : labels.entrySet()) {
            form.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        this.labels = form.toString();
    }

    /**
     * The host name, looked up on first use rather than in premain: a name lookup can wait on DNS, and the
     * host's startup must not wait on us. /proc gives the kernel's name without any lookup.
     */
    String host() {
        String h = host;
        if (h == null) {
            h = lookUpHost();
            host = h;
        }
        return h;
    }

    /** JVM start, epoch milliseconds; with the pid it tells a restarted process from the one before. */
    long startMillis() {
        long s = startMillis;
        if (s < 0) {
            s = ManagementFactory.getRuntimeMXBean().getStartTime();
            startMillis = s;
        }
        return s;
    }

    String processId() {
        return service + "/" + host() + "/" + pid + "/" + startMillis();
    }

    private static String lookUpHost() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
