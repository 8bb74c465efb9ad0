package dev.mpdiag.engine.jmc;

import dev.mpdiag.engine.InputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.DependsOn;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.ResultProvider;
import org.openjdk.jmc.flightrecorder.rules.ResultToolkit;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.TypedCollectionResult;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;

/** Runs JDK Mission Control's automated-analysis rules on a recording and returns their results as plain text. */
public final class JmcRuleRunner {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final IPreferenceValueProvider PREFERENCES = IPreferenceValueProvider.DEFAULT_VALUES;
    // JMC writes messages as HTML fragments; these turn them into readable text.
    private static final Pattern LINE_BREAK_TAG =
            Pattern.compile("(?i)<br\\s*/?>|</?p\\b[^>]*>|</li>|</?[uo]l\\b[^>]*>|</?div\\b[^>]*>");
    private static final Pattern LIST_ITEM_TAG = Pattern.compile("(?i)<li\\b[^>]*>");
    // <init> and <clinit> are method names in frames some rules format into the text themselves.
    private static final Pattern ANY_TAG = Pattern.compile("</?(?!init>|clinit>)[a-zA-Z][^>]*>");
    private static final Pattern NEWLINE_RUN = Pattern.compile("[ \\t]*\\n\\s*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([\\w.]+)\\}");
    private static final String MISSING_VALUE = "(unknown)";
    private static final Comparator<JmcFinding> BY_SEVERITY_THEN_SCORE = Comparator
            .comparingInt((JmcFinding f) -> rank(f.severity())).reversed()
            .thenComparing(Comparator.comparingDouble(JmcFinding::score).reversed())
            .thenComparing(JmcFinding::id);

    private final Duration timeout;
    private final int threads;

    public JmcRuleRunner() {
        this(DEFAULT_TIMEOUT);
    }

    /** @param timeout how long one run may take in total; rules still running then are reported as NA */
    public JmcRuleRunner(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.threads = Runtime.getRuntime().availableProcessors();
    }

    /** Ids of every registered JMC rule, for validating what users name (e.g. analyze --fail-on). */
    public static java.util.Set<String> ruleIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (IRule r : RuleRegistry.getRules()) {
            ids.add(r.getId());
        }
        return ids;
    }

    public List<JmcFinding> run(Path jfrFile) throws IOException {
        try {
            return run(JfrLoaderToolkit.loadEvents(jfrFile.toFile()));
        } catch (CouldNotLoadRecordingException e) {
            throw notJfr(jfrFile.toString(), e);
        }
    }

    /** @param chunks raw JFR chunks, each one or more complete chunks, in recording order */
    public List<JmcFinding> run(List<byte[]> chunks) throws IOException {
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("No JFR chunks given");
        }
        List<InputStream> streams = new ArrayList<>(chunks.size());
        long totalBytes = 0;
        for (byte[] chunk : chunks) {
            streams.add(new ByteArrayInputStream(chunk));
            totalBytes += chunk.length;
        }
        // JMC's stream loader reads chunk after chunk, so one concatenated stream is a whole recording.
        try (InputStream in = new SequenceInputStream(Collections.enumeration(streams))) {
            return run(JfrLoaderToolkit.loadEvents(in));
        } catch (CouldNotLoadRecordingException e) {
            throw notJfr("JFR chunks (" + chunks.size() + (chunks.size() == 1 ? " buffer, " : " buffers, ")
                    + totalBytes + " bytes)", e);
        }
    }

    public List<JmcFinding> run(IItemCollection items) {
        Objects.requireNonNull(items, "items");
        Collection<IRule> rules = RuleRegistry.getRules();
        // A fresh pool per run: a rule that hangs and ignores interrupts keeps only its own daemon thread.
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
        try {
            SharedResults shared = new SharedResults();
            Map<IRule, CompletableFuture<IResult>> futures = schedule(rules, items, shared, pool);
            long deadline = System.nanoTime() + timeout.toNanos();
            List<JmcFinding> findings = new ArrayList<>(futures.size());
            for (Map.Entry<IRule, CompletableFuture<IResult>> e : futures.entrySet()) {
                findings.add(toFinding(await(e.getKey(), e.getValue(), deadline)));
            }
            findings.sort(BY_SEVERITY_THEN_SCORE);
            return findings;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Starts every rule on the pool. A rule annotated {@link DependsOn} starts only after its dependency finished,
     * and only if that reached the annotated severity, as JMC's own evaluator does.
     */
    private static Map<IRule, CompletableFuture<IResult>> schedule(
            Collection<IRule> rules, IItemCollection items, SharedResults shared, ExecutorService pool) {
        Map<Class<?>, IRule> byClass = new HashMap<>();
        for (IRule rule : rules) {
            byClass.put(rule.getClass(), rule);
        }
        Map<IRule, CompletableFuture<IResult>> futures = new LinkedHashMap<>();
        for (IRule rule : rules) {
            scheduleOne(rule, items, shared, pool, byClass, futures);
        }
        return futures;
    }

    private static CompletableFuture<IResult> scheduleOne(IRule rule, IItemCollection items, SharedResults shared,
            ExecutorService pool, Map<Class<?>, IRule> byClass, Map<IRule, CompletableFuture<IResult>> futures) {
        CompletableFuture<IResult> known = futures.get(rule);
        if (known != null) {
            return known;
        }
        DependsOn dependsOn = rule.getClass().getAnnotation(DependsOn.class);
        IRule dependency = dependsOn == null ? null : byClass.get(dependsOn.value());
        CompletableFuture<IResult> future;
        if (dependsOn == null) {
            future = CompletableFuture.supplyAsync(() -> evaluate(rule, items, shared), pool);
        } else if (dependency == null) {
            future = CompletableFuture.completedFuture(notApplicable(rule,
                    "Not evaluated: depends on " + dependsOn.value().getSimpleName() + ", which is not registered."));
        } else {
            // RuleRegistry returns rules in dependency order (and rejects cycles), so the dependency is usually
            // scheduled already; the recursion keeps this correct for any order.
            future = scheduleOne(dependency, items, shared, pool, byClass, futures).thenApplyAsync(
                    before -> before.getSeverity().compareTo(dependsOn.severity()) >= 0
                            ? evaluate(rule, items, shared)
                            : notApplicable(rule, "Not evaluated: " + dependency.getId() + " reported "
                                    + before.getSeverity() + ", below " + dependsOn.severity() + "."),
                    pool);
        }
        futures.put(rule, future);
        return future;
    }

    /** Runs one rule on the calling pool thread; a failure becomes an NA result rather than propagating. */
    private static IResult evaluate(IRule rule, IItemCollection items, SharedResults shared) {
        IResult result;
        try {
            if (!RulesToolkit.matchesEventAvailabilityMap(items, rule.getRequiredEvents())) {
                result = notApplicable(rule, RulesToolkit.getIgnoreReason(items, rule));
            } else {
                RunnableFuture<IResult> evaluation = rule.createEvaluation(items, PREFERENCES, shared);
                evaluation.run();
                result = evaluation.get();
            }
        } catch (ExecutionException e) {
            result = notApplicable(rule, "Rule failed: " + oneLine(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = notApplicable(rule, "Rule interrupted.");
        } catch (RuntimeException | LinkageError e) {
            result = notApplicable(rule, "Rule failed: " + oneLine(e));
        }
        if (result == null) {
            result = notApplicable(rule, "Rule returned no result.");
        }
        shared.addResults(result);
        return result;
    }

    private IResult await(IRule rule, CompletableFuture<IResult> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // No cancel: it would not stop the thread, and rules waiting on this one should time out the same way.
            return notApplicable(rule, "Rule did not finish within " + timeout.toMillis() + " ms.");
        } catch (InterruptedException e) {
            // Keep the flag: the remaining unfinished rules fail fast the same way and the caller sees it.
            Thread.currentThread().interrupt();
            return notApplicable(rule, "Rule run was interrupted.");
        } catch (ExecutionException e) {
            return notApplicable(rule, "Rule failed: " + oneLine(e.getCause()));
        }
    }

    private static IResult notApplicable(IRule rule, String summary) {
        return RulesToolkit.getNotApplicableResult(rule, PREFERENCES, summary);
    }

    private static JmcFinding toFinding(IResult result) {
        IRule rule = result.getRule();
        Severity severity = result.getSeverity() == null ? Severity.NA : result.getSeverity();
        IQuantity score = result.getResult(TypedResult.SCORE);
        return new JmcFinding(rule.getId(), rule.getName(), severity.name(),
                score == null ? severity.getLimit() : score.doubleValue(),
                text(result, result.getSummary()), text(result, result.getExplanation()),
                text(result, result.getSolution()));
    }

    /**
     * Strips the HTML from the template before filling the placeholders, so that values such as a generic type
     * in a stack frame are not mistaken for tags.
     */
    private static String text(IResult result, String template) {
        if (template == null) {
            return "";
        }
        String plain = LINE_BREAK_TAG.matcher(template).replaceAll("\n");
        plain = LIST_ITEM_TAG.matcher(plain).replaceAll("\n- ");
        plain = ANY_TAG.matcher(plain).replaceAll("");
        // '' is MessageFormat's escaped quote; templates filled by populateMessage never go through MessageFormat.
        plain = plain.replace("''", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
        String marked = markMissing(result, plain);
        String filled;
        try {
            filled = ResultToolkit.populateMessage(result, marked, false);
        } catch (RuntimeException e) {
            // A value JMC cannot format should cost its placeholder, not the finding.
            filled = PLACEHOLDER.matcher(marked).replaceAll(MISSING_VALUE);
        }
        return NEWLINE_RUN.matcher(filled.strip()).replaceAll("\n");
    }

    /**
     * populateMessage leaves a placeholder as is when the rule never set its value or never declared it (9.1.1's
     * FewSampledThreads does both); replace those in the template, so values that contain braces stay untouched.
     */
    private static String markMissing(IResult result, String template) {
        IRule rule = result.getRule();
        Map<String, Object> values = new HashMap<>();
        if (rule.getResults() != null) {
            for (TypedResult<?> type : rule.getResults()) {
                values.put(type.getIdentifier(), type instanceof TypedCollectionResult
                        ? result.getResult((TypedCollectionResult<?>) type) : result.getResult(type));
            }
        }
        if (rule.getConfigurationAttributes() != null) {
            for (TypedPreference<?> preference : rule.getConfigurationAttributes()) {
                values.putIfAbsent(preference.getIdentifier(), result.getPreference(preference));
            }
        }
        return PLACEHOLDER.matcher(template).replaceAll(m -> values.get(m.group(1)) != null
                ? Matcher.quoteReplacement(m.group()) : MISSING_VALUE);
    }

    private static InputException notJfr(String input, CouldNotLoadRecordingException e) {
        // JMC throws some load failures (e.g. for bytes that are not JFR at all) without a message.
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        InputException failure = new InputException(input, "not a readable JFR recording (" + why + ")");
        failure.initCause(e);
        return failure;
    }

    private static String oneLine(Throwable t) {
        String s = String.valueOf(t);
        int eol = s.indexOf('\n');
        return eol < 0 ? s : s.substring(0, eol).strip();
    }

    /** Severity's declaration order puts IGNORE last, above WARNING; ranks here put it below everything. */
    private static int rank(String severity) {
        return switch (severity) {
            case "WARNING" -> 4;
            case "INFO" -> 3;
            case "OK" -> 2;
            case "NA" -> 1;
            default -> 0;
        };
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mpdiag-jmc-rule-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** JMC's ResultProvider is a plain HashMap; rules read it on pool threads while finished rules add to it. */
    private static final class SharedResults extends ResultProvider {
        @Override
        public synchronized void addResults(IResult result) {
            super.addResults(result);
        }

        @Override
        public synchronized <T> T getResultValue(TypedResult<T> type) {
            return super.getResultValue(type);
        }

        @Override
        public synchronized <T> Collection<T> getResultValue(TypedCollectionResult<T> type) {
            return super.getResultValue(type);
        }

        @Override
        public synchronized TypedResult<?> getResultByIdentifier(String identifier) {
            return super.getResultByIdentifier(identifier);
        }
    }
}
