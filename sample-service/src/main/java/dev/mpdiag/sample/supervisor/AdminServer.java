package dev.mpdiag.sample.supervisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.sample.control.ControlProtocol;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The supervisor's admin HTTP API on 127.0.0.1: worker status, and fault switches relayed to the workers.
 * Every error is JSON {@code {error, detail}}.
 */
final class AdminServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supervisor supervisor;
    private final int port;
    private final int adminPort;
    private final long startedNanos = System.nanoTime();
    private Javalin app;

    AdminServer(Supervisor supervisor, int port, int adminPort) {
        this.supervisor = supervisor;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Binds 127.0.0.1:adminPort; throws if it cannot. */
    void start() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.routes.get("/supervisor/status", this::status);
            config.routes.post("/supervisor/faults/{name}", this::fault);
            config.routes.exception(Exception.class, (e, ctx) ->
                    error(ctx, 500, "internal error", String.valueOf(e)));
            config.routes.error(404, ctx -> error(ctx, 404, "not found",
                    "no such path: " + ctx.path() + " (try GET /supervisor/status, POST /supervisor/faults/{name})"));
            config.routes.error(405, ctx -> error(ctx, 405, "method not allowed",
                    ctx.method() + " is not allowed on " + ctx.path()));
        });
        app.start("127.0.0.1", adminPort);
    }

    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private void status(Context ctx) {
        List<WorkerSlot.Snapshot> snapshots = supervisor.snapshot();
        List<Supervisor.Delivery> replies = supervisor.workerStatus();
        List<Map<String, Object>> workers = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i++) {
            workers.add(workerRow(snapshots.get(i), replies.get(i)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pid", ProcessHandle.current().pid());
        body.put("port", port);
        body.put("adminPort", adminPort);
        body.put("uptimeMillis", (System.nanoTime() - startedNanos) / 1_000_000);
        body.put("workers", workers);
        ctx.json(body);
    }

    /** The supervisor's view of one worker, plus what the worker itself says on its control socket. */
    private static Map<String, Object> workerRow(WorkerSlot.Snapshot s, Supervisor.Delivery status) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("index", s.index());
        row.put("pid", s.pid());
        row.put("alive", s.alive());
        row.put("state", s.state());
        row.put("restarts", s.restarts());
        row.put("uptimeMillis", s.uptimeMillis());
        row.put("startedAt", s.startedAt());
        row.put("lastExitCode", s.lastExitCode());
        row.put("faultsRequested", s.faultsRequested());
        row.put("faults", null);
        row.put("requests", null);
        if (status.ok()) {
            try {
                JsonNode reply = JSON.readTree(status.reply());
                row.put("faults", reply.get("faults"));
                row.put("requests", reply.get("requests"));
            } catch (IOException e) {
                row.put("controlError", "STATUS reply is not JSON: " + status.reply());
            }
        } else if (s.alive()) {
            row.put("controlError", status.reply());
        }
        return row;
    }

    private void fault(Context ctx) {
        String name = ctx.pathParam("name");
        if (!ControlProtocol.FAULTS.contains(name)) {
            error(ctx, 400, "unknown fault", "'" + name + "' is not one of " + String.join(", ", ControlProtocol.FAULTS));
            return;
        }
        String onParam = ctx.queryParam("on");
        if (!"true".equals(onParam) && !"false".equals(onParam)) {
            error(ctx, 400, "bad parameter on", "on must be true or false, got " + quote(onParam));
            return;
        }
        boolean on = Boolean.parseBoolean(onParam);
        Integer index = null;
        String workerParam = ctx.queryParam("worker");
        if (workerParam != null) {
            index = parseIndex(workerParam);
            if (index == null) {
                error(ctx, 400, "bad parameter worker", "worker must be an index from 0 to "
                        + (supervisor.size() - 1) + ", got " + quote(workerParam));
                return;
            }
        }
        List<Supervisor.Delivery> results = supervisor.relayFault(name, on, index);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fault", name);
        body.put("on", on);
        body.put("ok", results.stream().allMatch(Supervisor.Delivery::ok));
        body.put("workers", results);
        ctx.json(body);
    }

    private Integer parseIndex(String value) {
        try {
            int i = Integer.parseInt(value.trim());
            return i >= 0 && i < supervisor.size() ? i : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }

    private static void error(Context ctx, int status, String error, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        ctx.status(status).json(body);
    }
}
