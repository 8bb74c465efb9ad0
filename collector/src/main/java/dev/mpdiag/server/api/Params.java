package dev.mpdiag.server.api;

import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.query.TimeParam;
import dev.mpdiag.server.store.ProcessIdentity;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one API call, each refused with a 400 that says what was expected. They come from a request's
 * query string or, for the MCP tools, from a tool call's arguments: both are read by the same rules.
 */
public final class Params {
    /** The selection parameters, for {@link #only}. */
    public static final String[] SELECTION = {"process", "service", "from", "to"};

    private final String where;
    private final Map<String, List<String>> values;

    private Params(String where, Map<String, List<String>> values) {
        this.where = where;
        this.values = values;
    }

    public static Params of(Context ctx) {
        return new Params(ctx.path(), ctx.queryParamMap());
    }

    /** Parameters from elsewhere than a query string; where names their owner in errors ("the tool top_frames"). */
    public static Params of(String where, Map<String, List<String>> values) {
        return new Params(where, values);
    }

    /** The first value of a parameter, or null. */
    public String one(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Every value of a repeated parameter (none: an empty list). */
    public List<String> all(String name) {
        List<String> v = values.get(name);
        return v == null ? List.of() : v;
    }

    public Map<String, List<String>> map() {
        return values;
    }

    /**
     * Refuses a parameter the endpoint does not take: a typo (proces=) or a parameter of another endpoint would
     * otherwise be ignored and answer for everything. A name ending in '.' allows every name with that prefix.
     */
    public void only(String[] common, String... more) {
        for (String name : values.keySet()) {
            if (!allowed(name, common) && !allowed(name, more)) {
                List<String> all = new ArrayList<>(List.of(common));
                all.addAll(List.of(more));
                throw ApiException.badRequest("unknown parameter", "'" + TimeParam.abbreviate(name) + "' is not a parameter of "
                        + where + (all.isEmpty() ? ", which takes none" : " (it takes " + String.join(", ", all) + ")"));
            }
        }
    }

    public void only(String... names) {
        only(new String[0], names);
    }

    private static boolean allowed(String name, String[] names) {
        for (String n : names) {
            if (n.equals(name) || n.endsWith(".") && name.startsWith(n)) {
                return true;
            }
        }
        return false;
    }

    /** A service= filter: absent, or a name a process could have (never a path). */
    public String service(String name) {
        String v = one(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        String problem = ProcessIdentity.nameProblem(v);
        if (problem != null) {
            throw ApiException.badRequest("bad parameter " + name, "'" + TimeParam.abbreviate(v) + "' is not a service"
                    + " name: it " + problem);
        }
        return v;
    }

    /** The selection named by process=, service=, from=, to= (each optionally after a prefix such as "a."). */
    public Selection selection(Store store, String prefix) {
        return Selection.resolve(store, all(prefix + "process"), service(prefix + "service"),
                one(prefix + "from"), one(prefix + "to"), System.currentTimeMillis());
    }

    /** As {@link #selection(Store, String)}, across the cluster's members when the query spans them. */
    public Selection selection(Store store, dev.mpdiag.server.query.Query query, String prefix) {
        return Selection.resolve(store, query.members(), all(prefix + "process"), service(prefix + "service"),
                one(prefix + "from"), one(prefix + "to"), System.currentTimeMillis());
    }

    public ProfileType type(String dflt) {
        String v = one("type");
        try {
            return ProfileType.parse(v == null ? dflt : v);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad parameter type", "'" + TimeParam.abbreviate(v)
                    + "' is not a profile type: cpu, wall, alloc, lock, wait or native");
        }
    }

    public int integer(String name, int dflt, int min, int max) {
        String v = one(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw ApiException.badRequest("bad parameter " + name, name + " must be between " + min + " and "
                        + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad parameter " + name, "'" + TimeParam.abbreviate(v)
                    + "' is not a whole number");
        }
    }

    public double share(String name, double dflt) {
        String v = one(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= 0 && d < 1)) {
                throw ApiException.badRequest("bad parameter " + name, name + " is a share from 0 up to 1, got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad parameter " + name, "'" + TimeParam.abbreviate(v) + "' is not a number");
        }
    }

    public boolean flag(String name) {
        String v = one(name);
        if (v == null || v.isBlank() || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("bad parameter " + name, name + " must be true or false, got '"
                + TimeParam.abbreviate(v) + "'");
    }
}
