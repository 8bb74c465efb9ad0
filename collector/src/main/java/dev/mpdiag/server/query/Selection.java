package dev.mpdiag.server.query;

import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which processes and which time range a query is about. With neither processes nor service: all of them. */
public record Selection(List<ProcessStore> processes, long fromMillis, long toMillis) {
    /** A process id list can be long (one per worker); this bounds what one query may name. */
    public static final int MAX_PROCESSES = 1000;

    /**
     * Resolves process ids (repeated or comma-separated) and a service name against the store. Unknown ids
     * or services are a 404: an empty answer would look like a profile with no samples.
     */
    public static Selection resolve(Store store, List<String> processParams, String service, String from, String to,
            long nowMillis) {
        long f = TimeParam.parse("from", from, 0, nowMillis);
        long t = TimeParam.parse("to", to, Long.MAX_VALUE / 2, nowMillis);
        if (f > t) {
            throw ApiException.badRequest("bad time range", "from (" + f + ") is after to (" + t + ")");
        }
        Set<ProcessStore> chosen = new LinkedHashSet<>();
        List<String> ids = new ArrayList<>();
        for (String p : processParams) {
            for (String id : p.split(",")) {
                if (!id.isBlank()) {
                    ids.add(id.trim());
                }
            }
        }
        if (ids.size() > MAX_PROCESSES) {
            throw ApiException.badRequest("too many processes", ids.size() + " named; at most " + MAX_PROCESSES);
        }
        for (String id : ids) {
            ProcessStore ps = store.get(id);
            if (ps == null) {
                throw ApiException.notFound("unknown process", "no process '" + TimeParam.abbreviate(id)
                        + "' (GET /api/v1/processes lists them)");
            }
            chosen.add(ps);
        }
        if (service != null && !service.isBlank()) {
            boolean any = false;
            for (ProcessStore ps : store.all()) {
                if (ps.meta().service.equals(service)) {
                    chosen.add(ps);
                    any = true;
                }
            }
            if (!any) {
                throw ApiException.notFound("unknown service", "no process of service '"
                        + TimeParam.abbreviate(service) + "'");
            }
        }
        if (ids.isEmpty() && (service == null || service.isBlank())) {
            chosen.addAll(store.all());
        }
        return new Selection(new ArrayList<>(chosen), f, t);
    }

    public List<String> ids() {
        List<String> out = new ArrayList<>();
        for (ProcessStore p : processes) {
            out.add(p.id());
        }
        return out;
    }
}
