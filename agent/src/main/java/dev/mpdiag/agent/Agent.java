package dev.mpdiag.agent;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;

/** The running agent: one JFR recording, its cutter, spool and sender, and the exit hook. One per JVM. */
final class Agent {

    static final String RECORDING_NAME = "mpagent";

    private static Agent running;

    final AgentOptions options;
    final Health health;

    private Agent(AgentOptions options, Health health) {
        this.options = options;
        this.health = health;
    }

    /**
     * Starts recording and streaming, once per JVM (a later -javaagent or attach only warns). Throws when it
     * cannot; whatever it started by then is stopped again, so the caller can carry on without profiling.
     */
    static synchronized void start(AgentOptions options) throws Exception {
        if (running != null) {
            AgentLog.warn("already streaming to " + running.options.collector + "; the new options are ignored");
            return;
        }
        AgentLog.setDebug(options.debug);
        ProfileLoader.Profile profile = ProfileLoader.loadOrFallBack(options.profile);
        AsyncProfilerSession async = options.wantsAsync() ? startAsync(options) : null;
        // Whatever the profile (the JDK's default.jfc, a user's own file), each cut says what the agent cost:
        // a recording given settings leaves out every event they do not name.
        Map<String, String> own = new HashMap<>(profile.settings());
        own.put(AgentCostEvent.NAME + "#enabled", "true");
        Map<String, String> settings = new HashMap<>(own);
        if (async != null) {
            settings.putAll(AsyncProfilerSession.jfrOverrides(options));
        }
        String profileName = async == null ? profile.name() : profile.name() + "+async-" + options.asyncEvent;
        Identity identity = new Identity(options.service, profileName, options.labels);
        Health health = new Health(identity, options.collector);
        Spool spool = new Spool(options.spoolMemoryBytes, options.spoolDir, options.spoolDiskBytes, identity, health);
        Sender sender = new Sender(options, identity, spool, health, version());

        Recording recording;
        try {
            recording = new Recording(settings);
        } catch (Exception | Error e) {
            sender.cancel();
            stopQuietly(async);
            throw e;
        }
        FlightRecorderListener listener = null;
        try {
            recording.setName(RECORDING_NAME);
            recording.setToDisk(true);
            recording.setDumpOnExit(false);
            recording.setMaxAge(Duration.ofMillis(options.maxAgeMillis));
            recording.setMaxSize(options.maxSizeBytes);
            Recording jfr = recording;
            // Should async-profiler fail later, JFR takes the sampling back with the profile's own settings.
            Cutter cutter = new Cutter(recording, spool, health, options.intervalMillis, () -> registerMBean(health),
                    async, () -> jfr.setSettings(own), new CostMeter(health));
            listener = cutter.stopListener();
            FlightRecorder.addListener(listener); // before start, so no stop can go unnoticed
            recording.start();
            Runtime.getRuntime().addShutdownHook(new Thread(
                    new ExitHook(cutter, sender, spool, options.exitTimeoutMillis), "mpagent-shutdown"));
            daemon(sender, "mpagent-sender").start();
            daemon(cutter, "mpagent-cutter").start();
        } catch (Exception | Error e) {
            sender.cancel();
            if (listener != null) {
                FlightRecorder.removeListener(listener);
            }
            recording.close();
            stopQuietly(async);
            throw e;
        }
        running = new Agent(options, health);
        AgentLog.debug("recording profile " + profile.name() + ", cutting every "
                + Units.formatMillis(options.intervalMillis) + ", uploading to " + options.collector + Sender.INGEST_PATH);
    }

    /**
     * async-profiler, or null when it cannot start: profiler=async says so in one warning line, profiler=auto
     * only with debug=true. Either way JFR samples instead.
     */
    private static AsyncProfilerSession startAsync(AgentOptions options) {
        try {
            AsyncProfilerSession s = AsyncProfilerSession.start(options);
            AgentLog.debug("async-profiler " + s.version() + " started: " + AsyncProfilerSession.arguments(options));
            return s;
        } catch (Throwable t) {
            String line = "async-profiler unavailable (" + AgentLog.describe(t) + "); sampling with JFR";
            if (options.profiler.equals(AgentOptions.PROFILER_ASYNC)) {
                AgentLog.warn(line);
            } else {
                AgentLog.debug(line);
            }
            return null;
        }
    }

    private static void stopQuietly(AsyncProfilerSession async) {
        if (async != null) {
            try {
                async.cut(true);
            } catch (Throwable t) {
                AgentLog.debug("async-profiler stop: " + AgentLog.describe(t));
            }
        }
    }

    /**
     * Registers the health MBean. Called on the cutter thread at the first cut rather than in premain: the
     * platform MBean server starts java.util.logging, and an application that configures its own log
     * manager (a system property set in main) must get there first.
     */
    private static void registerMBean(Health health) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(AgentHealthMBean.OBJECT_NAME);
            if (!server.isRegistered(name)) {
                server.registerMBean(new StandardMBean(health, AgentHealthMBean.class), name);
            }
        } catch (Throwable t) {
            AgentLog.debug("health MBean not registered: " + AgentLog.describe(t));
        }
    }

    static String version() {
        String v = Agent.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }
}
