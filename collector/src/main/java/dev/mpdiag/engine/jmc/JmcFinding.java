package dev.mpdiag.engine.jmc;

import java.util.Objects;

/**
 * One JDK Mission Control rule result, with its messages as plain text.
 *
 * @param id          the JMC rule id, e.g. {@code "SystemGc"}
 * @param name        the rule's human-readable name
 * @param severity    JMC's severity name: {@code "WARNING"}, {@code "INFO"}, {@code "OK"}, {@code "NA"} or {@code "IGNORE"}
 * @param score       JMC's score, 0 to 100 (INFO from 25, WARNING from 75); when the rule gave none, JMC's lower
 *                    limit for the severity (-1 for NA, -3 for IGNORE)
 * @param summary     short summary, placeholders filled; never null
 * @param explanation longer explanation; empty when the rule gave none
 * @param solution    suggested fix; empty when the rule gave none
 */
public record JmcFinding(String id, String name, String severity, double score,
        String summary, String explanation, String solution) {

    public JmcFinding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        name = Objects.requireNonNullElse(name, id);
        summary = Objects.requireNonNullElse(summary, "");
        explanation = Objects.requireNonNullElse(explanation, "");
        solution = Objects.requireNonNullElse(solution, "");
    }
}
