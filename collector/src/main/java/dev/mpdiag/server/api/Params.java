package dev.mpdiag.server.api;

import dev.mpdiag.server.store.ProcessIdentity;
import java.util.ArrayList;
import java.util.List;

import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.query.TimeParam;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;

/** Query parameters shared by the API's endpoints, each refused with a 400 that says what was expected. */
final class Params {
    private Params() {
    }

    /** The selection parameters, for {@link #only}. */
    static final String[] SELECTION = {"process", "service", "from", "to"};

    /**
     * Refuses a parameter the endpoint does not take: a typo (proces=) or a parameter of another endpoint would
     * otherwise be ignored and answer for everything. A name ending in '.' allows every name with that prefix.
     */
    static void only(Context ctx, String[] common, String... more) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!allowed(name, common) && !allowed(name, more)) {
                List<String> all = new ArrayList<>(List.of(common));
                all.addAll(List.of(more));
                throw ApiException.badRequest("unknown parameter", "'" + TimeParam.abbreviate(name) + "' is not a parameter of "
                        + ctx.path() + (all.isEmpty() ? ", which takes none" : " (it takes " + String.join(", ", all) + ")"));
            }
        }
    }

    static void only(Context ctx, String... names) {
        only(ctx, new String[0], names);
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
    static String service(Context ctx, String name) {
        String v = ctx.queryParam(name);
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
    static Selection selection(Context ctx, Store store, String prefix) {
        return Selection.resolve(store, ctx.queryParams(prefix + "process"), service(ctx, prefix + "service"),
                ctx.queryParam(prefix + "from"), ctx.queryParam(prefix + "to"), System.currentTimeMillis());
    }

    static ProfileType type(Context ctx, String dflt) {
        String v = ctx.queryParam("type");
        try {
            return ProfileType.parse(v == null ? dflt : v);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad parameter type", "'" + TimeParam.abbreviate(v)
                    + "' is not a profile type: cpu, wall, alloc, lock, wait or native");
        }
    }

    static int integer(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
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

    static double share(Context ctx, String name, double dflt) {
        String v = ctx.queryParam(name);
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

    static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
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
