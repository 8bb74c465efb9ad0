package dev.mpdiag.server;

/** A request the collector refuses: answered as JSON {@code {error, detail}} with its 4xx status. */
public final class ApiException extends RuntimeException {
    public final int status;
    public final String error;
    /** Seconds for a Retry-After header (a 429), 0 for none. */
    public final int retryAfterSeconds;

    public ApiException(int status, String error, String detail) {
        this(status, error, detail, 0);
    }

    private ApiException(int status, String error, String detail, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429: nothing wrong with the request, the collector is at its limit; try again after the given seconds. */
    public static ApiException busy(String detail, int retryAfterSeconds) {
        return new ApiException(429, "busy", detail, retryAfterSeconds);
    }

    public static ApiException badRequest(String error, String detail) {
        return new ApiException(400, error, detail);
    }

    public static ApiException notFound(String error, String detail) {
        return new ApiException(404, error, detail);
    }
}
