package dev.mpdiag.server;

/** A request the collector refuses: answered as JSON {@code {error, detail}} with its 4xx status. */
public final class ApiException extends RuntimeException {
    public final int status;
    public final String error;

    public ApiException(int status, String error, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static ApiException badRequest(String error, String detail) {
        return new ApiException(400, error, detail);
    }

    public static ApiException notFound(String error, String detail) {
        return new ApiException(404, error, detail);
    }
}
