package dev.mpdiag.server.store;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Who a process is: service, host, pid and JVM start time. The pid plus start time tell apart a restarted
 * process that reused a pid. The id is {@code service/host/pid/start}.
 */
public record ProcessIdentity(String service, String host, long pid, long startMillis) {
    static final int MAX_NAME = 100;

    public ProcessIdentity {
        checkName("service", service);
        checkName("host", host);
        if (pid < 0) {
            throw new IllegalArgumentException("pid must not be negative, got " + pid);
        }
        if (startMillis < 0) {
            throw new IllegalArgumentException("start must not be negative, got " + startMillis);
        }
    }

    private static void checkName(String what, String v) {
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (v.length() > MAX_NAME) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_NAME + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            // '/' separates the id's parts; control characters would break logs and file names.
            if (c == '/' || Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " must not contain '/' or control characters");
            }
        }
    }

    public String id() {
        return service + "/" + host + "/" + pid + "/" + startMillis;
    }

    /**
     * The process's folder name: the id percent-encoded, so it is one path segment that can never be
     * "." or ".." (it always holds an encoded '/').
     */
    public String dirName() {
        return URLEncoder.encode(id(), StandardCharsets.UTF_8);
    }
}
