package dev.mpdiag.report;

import dev.mpdiag.checks.Check;
import dev.mpdiag.checks.CheckResult;
import dev.mpdiag.checks.Checks;
import dev.mpdiag.checks.Verdict;
import dev.mpdiag.engine.jmc.JmcFinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CI gate of `analyze --fail-on`: JMC severities (any finding at or above) and rule ids (that rule at or
 * above a severity, warning unless given as id:severity), and mpdiag's checks (CHECK-ID or "checks" for any,
 * at warn unless given as :fail).
 */
public final class FailOn {
    private static final List<String> LEVELS = List.of("OK", "INFO", "WARNING");

    /** ruleId null means any JMC rule; checkId "*" any check; a condition is for JMC or for checks. */
    private record Condition(String ruleId, int level, String checkId, Verdict verdict) {
        Condition(String ruleId, int level) {
            this(ruleId, level, null, null);
        }
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
            Condition check = checkCondition(item);
            if (check != null) {
                out.add(check);
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
        throw new IllegalArgumentException("--fail-on: '" + id + "' is neither a severity (info, warning), a check id "
                + "(checks, " + String.join(", ", Checks.ALL.stream().map(Check::id).toList()) + ") nor a JMC rule id; "
                + "rule ids: " + String.join(", ", new java.util.TreeSet<>(knownRuleIds)));
    }

    /**
     * "checks" (any check at warn or worse), "checks:fail", "CHECK-ID", "CHECK-ID:warn|fail"; null when the
     * item is not about checks.
     */
    private static Condition checkCondition(String item) {
        int colon = item.lastIndexOf(':');
        String id = colon > 0 ? item.substring(0, colon) : item;
        String v = colon > 0 ? item.substring(colon + 1).toLowerCase(Locale.ROOT) : "warn";
        if (!id.equals("checks") && Checks.byId(id) == null) {
            return null;
        }
        if (!v.equals("warn") && !v.equals("fail")) {
            throw new IllegalArgumentException("--fail-on: a check takes :warn or :fail, got '" + item + "'");
        }
        return new Condition(null, -1, id.equals("checks") ? "*" : id, v.equals("fail") ? Verdict.FAIL : Verdict.WARN);
    }

    /** Checks whose verdict reached a check condition, one line each. */
    public List<String> reachedChecks(List<CheckResult> results) {
        List<String> hits = new ArrayList<>();
        for (CheckResult r : results) {
            for (Condition c : conditions) {
                if (c.checkId != null && (c.checkId.equals("*") || c.checkId.equals(r.check()))
                        && r.verdict().ordinal() >= c.verdict.ordinal()) {
                    hits.add(r.subject() + ": " + r.check() + " " + r.verdict().id() + " (" + r.summary() + ")");
                    break;
                }
            }
        }
        return hits;
    }

    /** True when some condition is about JMC's rules (so they must run). */
    public boolean needsJmc() {
        for (Condition c : conditions) {
            if (c.checkId == null) {
                return true;
            }
        }
        return false;
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
                    if (c.checkId == null && l >= c.level && l > 0 && (c.ruleId == null || c.ruleId.equalsIgnoreCase(f.id()))) {
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
