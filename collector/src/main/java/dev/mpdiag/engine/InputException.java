package dev.mpdiag.engine;

import java.io.IOException;

/** An input that cannot be analyzed at all, with the input's name and the reason in one line. */
public final class InputException extends IOException {
    public final String input;
    public final String reason;

    public InputException(String input, String reason) {
        super(input + ": " + reason);
        this.input = input;
        this.reason = reason;
    }
}
