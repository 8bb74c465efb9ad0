package dev.mpdiag.agent;

import com.sun.tools.attach.VirtualMachine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar mpagent.jar attach PID [options]}: loads this jar as an agent into a running JVM with the
 * Attach API, so its agentmain starts streaming there. Kept apart from {@link AgentMain} because the
 * jdk.attach module it needs is only required by this command, never inside the host JVM.
 */
final class Attacher {

    private Attacher() {
    }

    /** Returns the exit status: 0 attached, 1 attach failed, 2 bad arguments. */
    static int attach(String pid, String options, PrintStream out, PrintStream err) {
        if (!pid.matches("[0-9]+")) {
            err.println("mpagent: attach: \"" + AgentOptions.quote(pid) + "\" is not a process id");
            return 2;
        }
        // Check the options here too: the target prints its warnings on its own stderr, which the person
        // attaching may never see.
        AgentOptions.parse(options, null, message -> err.println("mpagent: " + message));
        Path jar;
        try {
            jar = Path.of(Attacher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            err.println("mpagent: attach: cannot locate mpagent.jar: " + AgentLog.describe(e));
            return 1;
        }
        if (!Files.isRegularFile(jar)) {
            err.println("mpagent: attach: run this command from mpagent.jar (java -jar mpagent.jar attach ...), not " + jar);
            return 1;
        }
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar.toAbsolutePath().toString(), options);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            err.println("mpagent: attach to " + pid + " failed: " + AgentLog.describe(e));
            return 1;
        }
        out.println("mpagent: attached to " + pid + (options.isEmpty() ? "" : " with " + options));
        return 0;
    }
}
