package dev.mpdiag.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Timer;
import java.util.TimerTask;
import javax.net.ssl.HttpsURLConnection;

/**
 * Posts spooled uploads to the collector's ingest endpoint, oldest first, one at a time (the
 * "mpagent-sender" thread). 2xx acknowledges an upload; 4xx rejects it for good (so does 3xx: a redirect
 * means a wrong collector URL, and retrying cannot fix that); anything else (no connection, timeout, 5xx) is
 * retried with {@link Backoff}, keeping seq order. At exit, {@link #drain} sends what is left until a
 * deadline and marks the last upload final.
 */
final class Sender implements Runnable {

    static final String INGEST_PATH = "/api/v1/ingest";
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final int BUSY = 429;
    private static final long IDLE_POLL_MILLIS = 1_000;
    // At exit there is no time for backoff; a short pause keeps a refused connection from spinning.
    private static final long FINAL_RETRY_PAUSE_MILLIS = 100;
    // At exit a collector that failed this often in a row is not coming back in time: stop trying rather
    // than spend all of exit.timeout on it.
    private static final int FINAL_ATTEMPTS = 3;
    private static final long DRAIN_POLL_MILLIS = 50;

    private enum Outcome { ACKNOWLEDGED, REJECTED, FAILED }

    private final URL url;
    private final AgentOptions options;
    private final Identity identity;
    private final Spool spool;
    private final Health health;
    private final String agentVersion;
    private final Backoff backoff;
    // HttpURLConnection has no write timeout: a collector that accepts but never reads would block a write
    // forever. The watchdog closes such a connection; its thread is a named daemon like ours.
    private final Timer watchdog = new Timer("mpagent-http-watchdog", true);
    private final Object pause = new Object();
    private volatile boolean holding;
    private volatile boolean finishing;
    private volatile long finalDeadlineNanos;
    private volatile boolean lastCutTaken;
    private volatile boolean gaveUp;
    private int finalFailures;
    private boolean failing;
    private boolean warnedRejection;
    /** The start of the collector's last answer body, for lastError (its JSON error says why). */
    private String lastAnswer = "";
    /** What the last 429 asked for with Retry-After, in ms (0: nothing). */
    private long retryAfterMillis;

    Sender(AgentOptions options, Identity identity, Spool spool, Health health, String agentVersion)
            throws IOException {
        this.url = new URL(options.collector + INGEST_PATH);
        this.options = options;
        this.identity = identity;
        this.spool = spool;
        this.health = health;
        this.agentVersion = agentVersion;
        this.backoff = new Backoff(options.intervalMillis);
    }

    @Override
    public void run() {
        while (!gaveUp && (!finishing || System.nanoTime() < finalDeadlineNanos)) {
            try {
                awaitNotHolding();
                Upload u = spool.take(finishing ? remainingMillis() : IDLE_POLL_MILLIS);
                if (u != null && holding && !finishing) {
                    spool.retryLater(u); // hold() came while we waited for it: put it back until drain
                } else if (u != null) {
                    deliver(u);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                // Runs inside the host JVM: log, back off, keep going; never let it escape.
                AgentLog.warn("sender: " + AgentLog.describe(t));
                health.error("sender: " + AgentLog.describe(t));
                sleep(backoff.nextDelayMillis());
            }
        }
    }

    /** Stops the watchdog thread, for an agent that failed to start before the sender ran. */
    void cancel() {
        watchdog.cancel();
    }

    /**
     * At exit, before the final cut: take no new upload until {@link #drain}, which knows which one is last.
     * (The upload being sent, if any, goes on.)
     */
    void hold() {
        holding = true;
    }

    /**
     * At exit: sends what is spooled until {@code deadlineNanos}, marking the last upload final once
     * {@code lastCutTaken}. Returns true when everything was delivered (or rejected) in time.
     */
    boolean drain(long deadlineNanos) throws InterruptedException {
        finalDeadlineNanos = deadlineNanos;
        lastCutTaken = true;
        finishing = true;
        holding = false;
        synchronized (pause) {
            pause.notifyAll(); // cut a backoff wait short
        }
        spool.wake();
        while (!gaveUp) {
            long now = System.nanoTime();
            if (now >= deadlineNanos) {
                return false;
            }
            if (spool.awaitEmpty(Math.min(deadlineNanos, now + DRAIN_POLL_MILLIS * 1_000_000))) {
                return true;
            }
        }
        return spool.isEmpty();
    }

    private void deliver(Upload u) {
        boolean last = u.afterStop || (lastCutTaken && spool.isLast(u));
        Outcome outcome;
        String problem;
        try {
            int status = post(u, last);
            // 429: the collector is busy and shed this upload unread (docs/api.md); it is retried, not dropped.
            outcome = status >= 200 && status < 300 ? Outcome.ACKNOWLEDGED
                    : status == BUSY ? Outcome.FAILED
                    : status >= 300 && status < 500 ? Outcome.REJECTED : Outcome.FAILED;
            problem = "HTTP " + status + (lastAnswer.isEmpty() || status < 300 ? "" : " " + lastAnswer);
        } catch (javax.net.ssl.SSLException e) {
            // Retried like any failure (a certificate may be renewed), but said plainly: it is not a network blip.
            outcome = Outcome.FAILED;
            problem = "TLS refused: the collector's certificate is not trusted"
                    + (options.tlsTrust != null ? " by tls.ca" : " by this JVM (give its CA with tls.ca=FILE)")
                    + " or the connection is not TLS: " + AgentLog.describe(e);
        } catch (IOException | RuntimeException e) {
            outcome = Outcome.FAILED;
            problem = AgentLog.describe(e);
        }
        switch (outcome) {
            case ACKNOWLEDGED -> {
                spool.done(u);
                health.shipped.addAndGet(u.bytes);
                health.uploads.incrementAndGet();
                backoff.reset();
                finalFailures = 0;
                if (failing) {
                    failing = false;
                    AgentLog.debug("collector " + options.collector + " reachable again");
                }
                AgentLog.debug("upload seq " + u.seq + " acknowledged (" + u.chunks + " chunks, " + u.bytes
                        + " bytes" + (last ? ", final" : "") + ")");
            }
            case REJECTED -> {
                spool.done(u);
                health.rejected.incrementAndGet();
                health.error("seq " + u.seq + " rejected: " + problem);
                String line = "upload seq " + u.seq + " rejected by " + url + " (" + problem + "); not retried";
                if (!warnedRejection && !finishing) {
                    warnedRejection = true;
                    AgentLog.warn(line + " (further rejections only in health.rejected)");
                } else {
                    AgentLog.debug(line);
                }
            }
            case FAILED -> {
                if (finishing && ++finalFailures >= FINAL_ATTEMPTS) {
                    gaveUp = true;
                }
                spool.retryLater(u);
                health.retries.incrementAndGet();
                health.error("seq " + u.seq + ": " + problem);
                long delay = finishing ? FINAL_RETRY_PAUSE_MILLIS : backoff.nextDelayMillis(retryAfterMillis);
                String line = "upload seq " + u.seq + " to " + url + " failed (" + problem + "); retrying in "
                        + delay + " ms, spooling up to " + Units.formatBytes(options.spoolMemoryBytes);
                if (!failing && !finishing) {
                    failing = true; // one warning per outage, not one per retry
                    AgentLog.warn(line);
                } else {
                    AgentLog.debug(line);
                }
                sleep(delay);
            }
            default -> throw new IllegalStateException(outcome.toString());
        }
    }

    /** One POST; returns the HTTP status. */
    private int post(Upload u, boolean last) throws IOException {
        int timeout = (int) Math.max(1, Math.min(options.httpTimeoutMillis,
                finishing ? remainingMillis() : Long.MAX_VALUE));
        if (options.tlsProblem != null) {
            throw new IOException(options.tlsProblem);
        }
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        if (options.tlsTrust != null && c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(options.tlsTrust);
        }
        TimerTask guard = new TimerTask() {
            @Override
            public void run() {
                c.disconnect();
            }
        };
        watchdog.schedule(guard, 2L * timeout + 1_000);
        try {
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(timeout);
            c.setReadTimeout(timeout);
            c.setFixedLengthStreamingMode(u.bytes);
            c.setRequestProperty("Content-Type", "application/octet-stream");
            c.setRequestProperty("X-Mpdiag-Service", identity.service);
            c.setRequestProperty("X-Mpdiag-Host", identity.host());
            c.setRequestProperty("X-Mpdiag-Pid", Long.toString(identity.pid));
            c.setRequestProperty("X-Mpdiag-Start", Long.toString(identity.startMillis()));
            c.setRequestProperty("X-Mpdiag-Seq", Long.toString(u.seq));
            c.setRequestProperty("X-Mpdiag-Labels", identity.labels);
            c.setRequestProperty("X-Mpdiag-Health", health.toForm());
            c.setRequestProperty("X-Mpdiag-Interval", Long.toString(options.intervalMillis));
            c.setRequestProperty("X-Mpdiag-Profile", identity.profile);
            c.setRequestProperty("X-Mpdiag-Agent", agentVersion);
            if (options.token != null) {
                c.setRequestProperty("Authorization", "Bearer " + options.token);
            }
            if (last) {
                c.setRequestProperty("X-Mpdiag-Final", "true");
            }
            lastAnswer = "";
            retryAfterMillis = 0;
            try (OutputStream out = c.getOutputStream()) {
                u.writeTo(out);
            } catch (IOException e) {
                // A collector may answer (413, 400) and close before reading the whole body; use that answer.
                int status = statusOrMinusOne(c);
                if (status >= 400 && status < 500) {
                    return status;
                }
                throw e;
            }
            int status = c.getResponseCode();
            lastAnswer = readAnswer(c, status);
            if (status == BUSY) {
                retryAfterMillis = retryAfterMillis(c.getHeaderField("Retry-After"));
            }
            return status;
        } finally {
            guard.cancel();
        }
    }

    /** Retry-After in whole seconds (the collector's form); 0 when absent or in a form this agent does not read. */
    static long retryAfterMillis(String header) {
        if (header == null) {
            return 0;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds <= 0 ? 0 : Math.min(seconds, 3_600) * 1_000;
        } catch (NumberFormatException e) {
            return 0; // an HTTP date: the backoff alone decides
        }
    }

    private static int statusOrMinusOne(HttpURLConnection c) {
        try {
            return c.getResponseCode();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Reads (a bounded part of) the answer so the connection can be kept alive, and returns its start. */
    private static String readAnswer(HttpURLConnection c, int status) {
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in == null) {
                return "";
            }
            byte[] answer = in.readNBytes(MAX_ANSWER_BYTES);
            return new String(answer, 0, Math.min(answer.length, 120), StandardCharsets.UTF_8)
                    .replaceAll("\\s+", " ").trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private void awaitNotHolding() throws InterruptedException {
        synchronized (pause) {
            while (holding && !finishing) {
                pause.wait(FINAL_RETRY_PAUSE_MILLIS);
            }
        }
    }

    private long remainingMillis() {
        return Math.max(0, (finalDeadlineNanos - System.nanoTime()) / 1_000_000);
    }

    private void sleep(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        synchronized (pause) {
            try {
                long left;
                while (!finishing && (left = (until - System.nanoTime()) / 1_000_000) > 0) {
                    pause.wait(left);
                }
                if (finishing && millis > 0) {
                    pause.wait(Math.min(millis, FINAL_RETRY_PAUSE_MILLIS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
