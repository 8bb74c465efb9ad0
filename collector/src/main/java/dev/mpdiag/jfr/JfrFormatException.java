package dev.mpdiag.jfr;

import java.io.IOException;

/** Input that is not JFR, or JFR this reader cannot decode; the message names the reason in one line. */
public final class JfrFormatException extends IOException {
    public JfrFormatException(String message) {
        super(message);
    }
}
