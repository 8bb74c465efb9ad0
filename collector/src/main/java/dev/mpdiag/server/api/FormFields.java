package dev.mpdiag.server.api;

import dev.mpdiag.server.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decodes the agent's form-encoded headers (labels, health): {@code k=v&k=v}, bounded in count and length. */
public final class FormFields {
    static final int MAX_FIELDS = 64;
    static final int MAX_LENGTH = 256;

    private FormFields() {
    }

    public static Map<String, String> parse(String header, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String pair : header.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).trim();
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad " + what, "not form-encoded: " + e.getMessage());
            }
            if (k.isEmpty() || k.length() > MAX_LENGTH || v.length() > MAX_LENGTH) {
                throw ApiException.badRequest("bad " + what, "keys must be 1 to " + MAX_LENGTH
                        + " characters and values at most " + MAX_LENGTH);
            }
            out.put(k, v);
            if (out.size() > MAX_FIELDS) {
                throw ApiException.badRequest("bad " + what, "more than " + MAX_FIELDS + " fields");
            }
        }
        return out;
    }
}
