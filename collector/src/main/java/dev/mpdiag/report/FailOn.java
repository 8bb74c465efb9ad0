package dev.mpdiag.report;

import dev.mpdiag.engine.jmc.JmcFinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CI gate of `analyze --fail-on`: a list of JMC severities (any finding at or above) and rule ids
 * (that rule at or above a severity, warning unless given as id:severity).
 */
public final class FailOn {
    private static final List<String> LEVELS = List.of("OK", "INFO", "WARNING");

    private record Condition(String ruleId, int level) {
    }

    private final List<Condition> conditions;

    private FailOn(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /** Parses the list; rule ids must be among knownRuleIds (compared ignoring case). */
    public static FailOn parse(List<String> items, java.util.Set<String> knownRuleIds) {
        List<Condition> out = new ArrayList<>();
        for (String raw : items) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            int level = level(item);
            if (level >= 0) {
                out.add(new Condition(null, level));
                continue;
            }
            int colon = item.lastIndexOf(':');
            if (colon > 0) {
                int l = level(item.substring(colon + 1));
                if (l < 0) {
                    throw new IllegalArgumentException("--fail-on: unknown severity '" + item.substring(colon + 1)
                            + "' in '" + item + "' (expected info or warning)");
                }
                out.add(new Condition(known(item.substring(0, colon), knownRuleIds), l));
            } else {
                out.add(new Condition(known(item, knownRuleIds), LEVELS.indexOf("WARNING")));
            }
        }
        return new FailOn(out);
    }

    private static String known(String id, java.util.Set<String> knownRuleIds) {
        for (String k : knownRuleIds) {
            if (k.equalsIgnoreCase(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("--fail-on: '" + id + "' is neither a severity (info, warning) nor a JMC rule id; "
                + "rule ids: " + String.join(", ", new java.util.TreeSet<>(knownRuleIds)));
    }

    private static int level(String s) {
        return LEVELS.indexOf(s.trim().toUpperCase(Locale.ROOT));
    }

    /** What was reached, one line each (process, rule, severity); empty when the gate passes. */
    public List<String> reached(List<ProcessReport> processes) {
        List<String> hits = new ArrayList<>();
        for (ProcessReport p : processes) {
            if (p.jmcFindings() == null) {
                continue;
            }
            for (JmcFinding f : p.jmcFindings()) {
                int l = level(f.severity());
                for (Condition c : conditions) {
                    if (l >= c.level && l > 0 && (c.ruleId == null || c.ruleId.equalsIgnoreCase(f.id()))) {
                        hits.add(p.label() + ": " + f.id() + " " + f.severity());
                        break;
                    }
                }
            }
        }
        return hits;
    }

    public boolean isEmpty() {
        return conditions.isEmpty();
    }
}
