package dev.mpdiag.server.api;

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

    /** The selection named by process=, service=, from=, to= (each optionally after a prefix such as "a."). */
    static Selection selection(Context ctx, Store store, String prefix) {
        return Selection.resolve(store, ctx.queryParams(prefix + "process"), ctx.queryParam(prefix + "service"),
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
