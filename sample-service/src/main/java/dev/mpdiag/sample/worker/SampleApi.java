package dev.mpdiag.sample.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.sample.control.ControlProtocol;
import dev.mpdiag.sample.worker.api.DocumentWork;
import dev.mpdiag.sample.worker.api.OrderWork;
import dev.mpdiag.sample.worker.fault.FaultSwitchboard;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The endpoints of the sample service. Every response names the worker in {@link ControlProtocol#WORKER_HEADER};
 * every request but the health check is counted and passes through the faults that are on.
 */
final class SampleApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerState state;
    private final FaultSwitchboard faults;

    SampleApi(WorkerState state, FaultSwitchboard faults) {
        this.state = state;
        this.faults = faults;
    }

    void register(RoutesConfig routes) {
        String header = state.header();
        routes.before(ctx -> ctx.header(ControlProtocol.WORKER_HEADER, header));
        routes.get("/api/health", ctx -> json(ctx, Map.of("status", "ok", "index", state.index(), "pid", state.pid())));
        routes.get("/api/hello", counted((ctx, seq) -> json(ctx, Map.of("message", "hello", "worker", state.index()))));
        routes.get("/api/work", counted(this::work));
        routes.get("/api/orders", counted((ctx, seq) -> json(ctx, OrderWork.run(seq))));
        routes.exception(IllegalArgumentException.class, (e, ctx) -> {
            ctx.status(400);
            json(ctx, Map.of("error", "bad request", "detail", e.getMessage()));
        });
    }

    private void work(Context ctx, long seq) {
        int items = DocumentWork.DEFAULT_ITEMS;
        String size = ctx.queryParam("size");
        if (size != null) {
            try {
                items = Integer.parseInt(size);
            } catch (NumberFormatException e) {
                items = -1;
            }
            if (items < 1 || items > DocumentWork.MAX_ITEMS) {
                throw new IllegalArgumentException("size must be a whole number from 1 to " + DocumentWork.MAX_ITEMS);
            }
        }
        DocumentWork.Digest d = DocumentWork.run(seq, items);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", d.items());
        body.put("bytes", d.bytes());
        body.put("sha256", d.sha256());
        json(ctx, body);
    }

    /** A handler that also gets the request's sequence number. */
    private interface CountedHandler {
        void handle(Context ctx, long seq) throws Exception;
    }

    private Handler counted(CountedHandler h) {
        return ctx -> {
            long seq = state.nextRequest();
            faults.onRequest(seq);
            h.handle(ctx, seq);
        };
    }

    private static void json(Context ctx, Object body) {
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
