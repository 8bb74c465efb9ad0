package dev.mpdiag.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.report.JsonReport;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON answers: NaN (a series with no points yet) is written as null, errors as {error, detail}. */
public final class Replies {
    /** Compact (API answers can be large flame graphs); NaN as null like the report JSON. */
    static final ObjectMapper JSON = JsonReport.mapper().copy()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private Replies() {
    }

    public static void json(Context ctx, Object body) {
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void error(Context ctx, int status, String error, String detail) {
        ctx.status(status).contentType("application/json").result(errorBody(error, detail));
    }

    /** {error, detail} as JSON bytes. */
    public static byte[] errorBody(String error, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
