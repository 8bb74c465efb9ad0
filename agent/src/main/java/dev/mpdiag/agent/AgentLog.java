package dev.mpdiag.agent;

/**
 * The agent's only output: single lines on the host's stderr, prefixed "mpagent: ". Warnings always, the
 * per-cut and per-upload lines only with debug=true, so a healthy agent stays silent.
 */
final class AgentLog {

    private static volatile boolean debug;

    private AgentLog() {
    }

    static void setDebug(boolean on) {
        debug = on;
    }

    static boolean debugEnabled() {
        return debug;
    }

    static void warn(String message) {
        try {
            // Control characters (a newline in an option, an exception message) would break the one-line rule.
            System.err.println("mpagent: " + message.replaceAll("\\p{Cntrl}", " "));
        } catch (Throwable ignored) {
            // stderr itself failed; there is nowhere left to report to
        }
    }

    static void debug(String message) {
        if (debug) {
            warn(message);
        }
    }

    /** One short line for a failure: the exception's class and message, without the stack trace. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        String text = t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
