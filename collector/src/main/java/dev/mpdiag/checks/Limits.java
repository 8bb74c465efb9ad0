package dev.mpdiag.checks;

import java.util.HashMap;
import java.util.Map;

/**
 * Threshold values, defaults overridden by "check.key=value" settings from the CLI, the API or a config
 * file. Unknown keys are refused where they are given, so a typo never silently leaves a default.
 */
public final class Limits {
    private final Map<String, Double> overrides;

    private Limits(Map<String, Double> overrides) {
        this.overrides = overrides;
    }

    public static Limits defaults() {
        return new Limits(Map.of());
    }

    /** Parses "check.key=value" settings; throws IllegalArgumentException naming a bad one. */
    public static Limits of(Map<String, String> settings) {
        return defaults().with(settings);
    }

    /** These limits with more settings on top (a request's overrides over the collector's config file). */
    public Limits with(Map<String, String> settings) {
        Map<String, Double> o = new HashMap<>(overrides);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey().trim();
            Threshold t = Checks.threshold(key);
            if (t == null) {
                throw new IllegalArgumentException("unknown threshold '" + key + "' (docs/checks.md lists them, e.g. "
                        + Checks.ALL.get(0).id() + "." + Checks.ALL.get(0).thresholds().get(0).key() + ")");
            }
            try {
                o.put(key, Double.parseDouble(e.getValue().trim()));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("threshold " + key + " takes a number, got '" + e.getValue() + "'");
            }
        }
        return new Limits(o);
    }

    public double get(Check c, String key) {
        Double v = overrides.get(c.id() + "." + key);
        if (v != null) {
            return v;
        }
        for (Threshold t : c.thresholds()) {
            if (t.key().equals(key)) {
                return t.defaultValue();
            }
        }
        throw new IllegalStateException(c.id() + " has no threshold " + key);
    }
}
