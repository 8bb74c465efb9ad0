package dev.mpdiag.server.query;

import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which processes and which time range a query is about. With neither processes nor service: all of them. In a
 * cluster, processes are those this member answers for and remote those other members do.
 */
public record Selection(List<ProcessStore> processes, List<Remote> remote, long fromMillis, long toMillis) {
    /**
     * A process another cluster member answers for. service is null when it was named by id; label (what the
     * dashboard names it by, "worker-1 pid 17007") is null then too.
     */
    public record Remote(String member, String id, String service, String label) {
    }

    public Selection(List<ProcessStore> processes, long fromMillis, long toMillis) {
        this(processes, List.of(), fromMillis, toMillis);
    }

    /** A process id list can be long (one per worker); this bounds what one query may name. */
    public static final int MAX_PROCESSES = 1000;

    /**
     * Resolves process ids (repeated or comma-separated) and a service name against the store. Unknown ids
     * or services are a 404: an empty answer would look like a profile with no samples.
     */
    public static Selection resolve(Store store, List<String> processParams, String service, String from, String to,
            long nowMillis) {
        return resolve(store, null, processParams, service, from, to, nowMillis);
    }

    /** As {@link #resolve(Store, List, String, String, String, long)}, across the members of a cluster when not null. */
    public static Selection resolve(Store store, Members members, List<String> processParams, String service,
            String from, String to, long nowMillis) {
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
        Map<String, Remote> remote = new LinkedHashMap<>();
        for (String id : ids) {
            ProcessStore ps = store.get(id);
            if (members != null && !members.serves(id)) {
                String owner = members.ownerOf(id);
                if (owner != null) {
                    remote.put(id, new Remote(owner, id, null, null));
                    continue;
                }
                if (ps != null) {
                    // Known here from before its partition moved, and no member answers for it yet.
                    throw new ApiException(503, "process being moved", "no cluster member answers for '"
                            + TimeParam.abbreviate(id) + "' this moment (its share of the topic is being replayed "
                            + "or reassigned); retry in a few seconds");
                }
            }
            if (ps == null) {
                throw ApiException.notFound("unknown process", "no process '" + TimeParam.abbreviate(id)
                        + "' (GET /api/v1/processes lists them)");
            }
            chosen.add(ps);
        }
        boolean wholeService = service != null && !service.isBlank();
        boolean everything = ids.isEmpty() && !wholeService;
        if (wholeService || everything) {
            for (ProcessStore ps : store.all()) {
                if ((everything || ps.meta().service.equals(service)) && (members == null || members.serves(ps.id()))) {
                    chosen.add(ps);
                }
            }
            if (members != null) {
                for (Remote r : members.processes()) {
                    // a process in hand-over that this member already serves is taken from here, once
                    if ((everything || service.equals(r.service())) && !members.serves(r.id())) {
                        remote.putIfAbsent(r.id(), r);
                    }
                }
            }
            if (wholeService && chosen.isEmpty() && remote.isEmpty()) {
                throw ApiException.notFound("unknown service", "no process of service '"
                        + TimeParam.abbreviate(service) + "'");
            }
        }
        return new Selection(new ArrayList<>(chosen), new ArrayList<>(remote.values()), f, t);
    }

    public List<String> ids() {
        List<String> out = new ArrayList<>();
        for (ProcessStore p : processes) {
            out.add(p.id());
        }
        for (Remote r : remote) {
            out.add(r.id());
        }
        return out;
    }

    /** How many processes, here and on other members. */
    public int size() {
        return processes.size() + remote.size();
    }

    /** The remote processes' ids grouped by the member that answers for them. */
    public Map<String, List<String>> remoteByMember() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Remote r : remote) {
            out.computeIfAbsent(r.member(), k -> new ArrayList<>()).add(r.id());
        }
        return out;
    }
}
