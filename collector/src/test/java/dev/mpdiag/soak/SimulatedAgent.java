package dev.mpdiag.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One simulated mpagent: its own identity (service, host, pid, start), a cut every interval that queues the
 * next real chunk (moved in time to end at the cut), and a sender that posts the queue oldest first, one at a
 * time, with the agent's headers, timeouts and retry rule (2xx acknowledged, 429 retried after its Retry-After,
 * other 3xx/4xx rejected for good, anything else retried after a jittered backoff from 0.5 s doubling up to the
 * interval), like agent/Sender.java.
 */
final class SimulatedAgent implements Runnable {
    /**
     * Where and how the agents send; times are System.nanoTime() except epochAtNano, which maps them to the wall
     * clock. With several ingest URLs (collectors of a cluster) an agent starts at one of them by its index and
     * moves to the next after a failed attempt, as behind a plain load balancer that routes around a dead member.
     */
    record Plan(List<URL> ingest, long intervalNanos, int httpTimeoutMillis, long stopCuttingNanos, long stopSendingNanos,
            long epochMillisAtNano, long nanoAtEpoch) {
        long epochNanos(long nano) {
            return epochMillisAtNano * 1_000_000L + (nano - nanoAtEpoch);
        }
    }

    private static final long INITIAL_BACKOFF_MILLIS = 500;

    final int index;
    final String service;
    final String host;
    final long pid;
    final long startMillis;
    private final String labels;
    private final AgentChunks chunks;
    private final Plan plan;
    private final long firstCutNanos;
    private final Consumer<UploadRecord> onAcknowledged;
    final List<UploadRecord> records = new ArrayList<>();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long shipped;
    private long acknowledged;
    private long retries;
    private long rejected;
    private int failuresInARow;
    private long retryAfterMillis;
    private int target;
    /** Uploads cut but never acknowledged or rejected when the run ended: the agent's backlog. */
    int backlog;

    private record Pending(UploadRecord record, AgentChunks.Chunk chunk, byte[] header) {
    }

    SimulatedAgent(int index, String service, String host, long pid, long startMillis, AgentChunks chunks, Plan plan,
            long firstCutNanos, Consumer<UploadRecord> onAcknowledged) {
        this.index = index;
        this.service = service;
        this.host = host;
        this.pid = pid;
        this.startMillis = startMillis;
        this.labels = "role=worker&index=" + index;
        this.chunks = chunks;
        this.plan = plan;
        this.firstCutNanos = firstCutNanos;
        this.onAcknowledged = onAcknowledged;
    }

    String processId() {
        return service + "/" + host + "/" + pid + "/" + startMillis;
    }

    @Override
    public void run() {
        long nextCut = firstCutNanos;
        long seq = 1;
        long retryAt = 0;
        try {
            while (true) {
                long now = System.nanoTime();
                while (nextCut <= now && nextCut < plan.stopCuttingNanos()) {
                    queue.add(cut(seq++, nextCut));
                    nextCut += plan.intervalNanos();
                }
                boolean cutting = nextCut < plan.stopCuttingNanos();
                if (queue.isEmpty() && !cutting || now >= plan.stopSendingNanos()) {
                    break;
                }
                long wake = cutting ? nextCut : plan.stopSendingNanos();
                if (queue.isEmpty() || now < retryAt) {
                    sleepUntil(queue.isEmpty() ? wake : Math.min(wake, retryAt));
                    continue;
                }
                Pending p = queue.peek();
                if (send(p)) {
                    queue.poll();
                    retryAt = 0;
                } else {
                    retryAt = System.nanoTime() + Math.min(backoffCapMillis(),
                            Math.max(backoffMillis(), retryAfterMillis)) * 1_000_000L;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backlog = queue.size();
    }

    /** The upload of this cut: the next captured chunk, its header moved so that the chunk ends at the cut. */
    private Pending cut(long seq, long cutNanos) {
        AgentChunks.Chunk c = chunks.chunks.get((int) ((seq - 1 + index) % chunks.chunks.size()));
        long wantedStart = plan.epochNanos(cutNanos) - c.durationNanos();
        long shiftSeconds = Math.round((wantedStart - c.startNanos()) / 1e9);
        byte[] header = AgentChunks.shiftedHeader(c, c.startNanos() + shiftSeconds * 1_000_000_000L);
        UploadRecord r = new UploadRecord(index, processId(), seq, cutNanos, c.bytes().length, c.metric(),
                c.lastPointMillis() + shiftSeconds * 1000L);
        records.add(r);
        return new Pending(r, c, header);
    }

    /** One attempt; true when the upload is done with (acknowledged or rejected for good). */
    private boolean send(Pending p) {
        UploadRecord r = p.record();
        r.attempts++;
        r.sentNanos = System.nanoTime();
        int status;
        String answer = "";
        retryAfterMillis = 0;
        try {
            HttpURLConnection c = (HttpURLConnection) plan.ingest().get((index + target) % plan.ingest().size())
                    .openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(plan.httpTimeoutMillis());
            c.setReadTimeout(plan.httpTimeoutMillis());
            c.setFixedLengthStreamingMode(r.bytes);
            c.setRequestProperty("Content-Type", "application/octet-stream");
            c.setRequestProperty("X-Mpdiag-Service", service);
            c.setRequestProperty("X-Mpdiag-Host", host);
            c.setRequestProperty("X-Mpdiag-Pid", Long.toString(pid));
            c.setRequestProperty("X-Mpdiag-Start", Long.toString(startMillis));
            c.setRequestProperty("X-Mpdiag-Seq", Long.toString(r.seq));
            c.setRequestProperty("X-Mpdiag-Labels", labels);
            c.setRequestProperty("X-Mpdiag-Health", health());
            c.setRequestProperty("X-Mpdiag-Interval", Long.toString(plan.intervalNanos() / 1_000_000L));
            c.setRequestProperty("X-Mpdiag-Profile", chunks.profile);
            c.setRequestProperty("X-Mpdiag-Agent", chunks.agentVersion);
            try (OutputStream out = c.getOutputStream()) {
                out.write(p.header());
                out.write(p.chunk().bytes(), p.header().length, p.chunk().bytes().length - p.header().length);
            }
            status = c.getResponseCode();
            if (status == 429) {
                retryAfterMillis = 1000L * Math.max(0, parseOrZero(c.getHeaderField("Retry-After")));
            }
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                if (in != null) {
                    answer = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException | RuntimeException e) {
            status = -1;
        }
        r.status = status;
        if (status >= 200 && status < 300) {
            r.ackNanos = System.nanoTime();
            r.stored = answer.contains("\"stored\":true");
            shipped += r.bytes;
            acknowledged++;
            failuresInARow = 0;
            onAcknowledged.accept(r);
            return true;
        }
        if (status == 429) {
            r.busyAnswers++; // shed by a collector at its limit: retried like the agent does, not dropped
        } else if (status >= 300) {
            rejected++;
            r.answer = answer.length() > 200 ? answer.substring(0, 200) : answer;
            return true;
        }
        retries++;
        failuresInARow++;
        if (status != 429) {
            target++; // a shed upload goes back to the same collector; a failed one to the next
        }
        return false;
    }

    private String health() {
        long spool = 0;
        for (Pending p : queue) {
            spool += p.record().bytes;
        }
        return "shipped=" + shipped + "&uploads=" + acknowledged + "&retries=" + retries + "&drops=0&droppedBytes=0"
                + "&rejected=" + rejected + "&spoolBytes=" + spool + "&lastError=";
    }

    private static long parseOrZero(String v) {
        try {
            return v == null ? 0 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private long backoffCapMillis() {
        return Math.max(INITIAL_BACKOFF_MILLIS, plan.intervalNanos() / 1_000_000L);
    }

    private long backoffMillis() {
        long cap = backoffCapMillis();
        long base = INITIAL_BACKOFF_MILLIS;
        for (int i = 1; i < failuresInARow && base < cap; i++) {
            base *= 2;
        }
        return (long) (Math.min(base, cap) * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
        }
    }
}
