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
        String problem = nameProblem(v);
        if (problem != null) {
            throw new IllegalArgumentException(what + " " + problem);
        }
    }

    /** Why v cannot be a service or host name, or null when it can. */
    public static String nameProblem(String v) {
        if (v == null || v.isEmpty()) {
            return "is missing";
        }
        if (v.length() > MAX_NAME) {
            return "is longer than " + MAX_NAME + " characters";
        }
        if (v.equals(".") || v.equals("..")) {
            return "must not be '.' or '..'";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            // '/' separates the id's parts; control characters would break logs and file names.
            if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                return "must not contain '/', '\\' or control characters";
            }
        }
        return null;
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
