package dev.mpdiag.server.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpdiag.server.api.Params;
import java.io.IOException;

/**
 * One read-only tool an assistant can call: its name, what it answers, the JSON Schema of its arguments, and the
 * call itself. Arguments reach it as {@link Params}, so a tool refuses a bad argument by the same rules (and with
 * the same words) as the HTTP endpoint it shares its answer with.
 */
record McpTool(String name, String title, String description, ObjectNode inputSchema, Call call) {
    @FunctionalInterface
    interface Call {
        Object answer(Params args) throws IOException;
    }
}
