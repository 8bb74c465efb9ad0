package dev.mpdiag.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.server.api.Params;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool call's JSON arguments as the API's parameters: a string, number or boolean is one value, an array is a
 * repeated parameter (process: ["a", "b"]), and an object nests with a dot ({"a": {"process": "x"}} is a.process,
 * {"threshold": {"heap-trend.slope": 2}} is threshold.heap-trend.slope), so every rule of the HTTP API applies.
 */
final class ToolArguments {
    private ToolArguments() {
    }

    /** Throws IllegalArgumentException (answered as invalid params) when the arguments are not an object. */
    static Params of(String tool, JsonNode arguments) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (arguments != null && !arguments.isNull()) {
            if (!arguments.isObject()) {
                throw new IllegalArgumentException("the arguments of " + tool + " must be a JSON object");
            }
            flatten("", arguments, out);
        }
        return Params.of("the tool " + tool, out);
    }

    private static void flatten(String prefix, JsonNode object, Map<String, List<String>> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(name + ".", v, out);
            } else if (v.isArray()) {
                List<String> values = out.computeIfAbsent(name, k -> new ArrayList<>());
                for (JsonNode one : v) {
                    if (one.isContainerNode()) {
                        throw new IllegalArgumentException(name + " must be a list of plain values");
                    }
                    values.add(one.asText());
                }
            } else if (!v.isNull()) {
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(v.asText());
            }
        }
    }
}
