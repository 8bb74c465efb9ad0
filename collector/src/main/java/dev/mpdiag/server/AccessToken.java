package dev.mpdiag.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * The shared secret {@code mpdiag serve --token} sets: every ingest and API call must present it, as
 * {@code Authorization: Bearer TOKEN} (agents, scripts) or as the {@value #COOKIE} cookie (the dashboard sets it
 * once, so its download links work too). The dashboard's own files carry no data and need none, so the page can
 * load and ask for the token.
 */
public final class AccessToken implements Handler {
    public static final String COOKIE = "mpdiag_token";
    /** Characters that survive a header, a cookie and a shell unquoted: what `openssl rand -hex` or -base64 print. */
    static final Pattern FORM = Pattern.compile("[A-Za-z0-9._~+/=-]{8,256}");

    private final byte[] expected;

    private AccessToken(String token) {
        this.expected = token.getBytes(StandardCharsets.US_ASCII);
    }

    /** Checks the token's form; throws IllegalArgumentException with the rule when it is not usable. */
    public static AccessToken of(String token) {
        if (token == null || !FORM.matcher(token).matches()) {
            throw new IllegalArgumentException("the token must be 8 to 256 characters from A-Z a-z 0-9 . _ ~ + / = -"
                    + " (for example the output of: openssl rand -hex 24)");
        }
        return new AccessToken(token);
    }

    /** The token itself, for a cluster member to present to the others (they share it). */
    public String value() {
        return new String(expected, StandardCharsets.US_ASCII);
    }

    @Override
    public void handle(Context ctx) {
        String given = presented(ctx);
        if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer realm=\"mpdiag\"");
        throw new ApiException(401, "unauthorized", given == null
                ? "this collector needs its access token: send 'Authorization: Bearer TOKEN' (agents: token= or"
                        + " token.file=; the dashboard asks for it)"
                : "wrong access token");
    }

    private static String presented(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return ctx.cookie(COOKIE);
    }
}
