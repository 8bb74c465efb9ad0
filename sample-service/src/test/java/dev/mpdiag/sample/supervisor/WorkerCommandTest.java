package dev.mpdiag.sample.supervisor;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkerCommandTest {
    private static final Path JAVA = Path.of("/jdk/bin/java");
    private static final Path DIR = Path.of("/tmp/run");

    @Test
    void plainWorker() throws Exception {
        SupervisorOptions o = SupervisorOptions.parse(new String[] {"--port", "8080", "--workers", "2"});
        WorkerCommand c = new WorkerCommand(JAVA, List.of("-jar", "s.jar"), o, DIR, null, new int[] {0, 1});
        assertEquals(List.of("/jdk/bin/java", "-XX:ActiveProcessorCount=1", "-jar", "s.jar", "worker",
                "--index", "1", "--port", "8080", "--host", "127.0.0.1", "--workers", "2", "--control", "/tmp/run"),
                c.build(1, List.of()));
    }

    @Test
    void pinnedWithAgentJvmOptionsAndFaults() throws Exception {
        Path agent = Files.createTempFile("agent", ".jar");
        try {
            SupervisorOptions o = SupervisorOptions.parse(new String[] {"--port", "8080", "--workers", "3", "--pin",
                    "--agent", agent.toString(), "--agent-options", "service=s", "--jvm-opts", "-Xmx64m"});
            // the allowed CPUs need not start at 0: worker i goes to the (i mod n)-th allowed one
            WorkerCommand c = new WorkerCommand(JAVA, List.of("-jar", "s.jar"), o, DIR, "/usr/bin/taskset", new int[] {4, 6});
            assertEquals(List.of("/usr/bin/taskset", "-c", "4", "/jdk/bin/java", "-Xmx64m", "-XX:ActiveProcessorCount=1",
                    "-javaagent:" + agent.toAbsolutePath().normalize() + "=service=s,label.index=2", "-jar", "s.jar",
                    "worker", "--index", "2", "--port", "8080", "--host", "127.0.0.1", "--workers", "3",
                    "--control", "/tmp/run", "--faults", "fd-leak,contention"),
                    c.build(2, List.of("fd-leak", "contention")));
        } finally {
            Files.delete(agent);
        }
    }

    @Test
    void agentWithoutOptionsGetsOnlyItsIndex() throws Exception {
        Path agent = Files.createTempFile("agent", ".jar");
        try {
            SupervisorOptions o = SupervisorOptions.parse(new String[] {"--port", "8080", "--agent", agent.toString()});
            WorkerCommand c = new WorkerCommand(JAVA, List.of("-jar", "s.jar"), o, DIR, null, new int[] {0});
            assertEquals("-javaagent:" + agent.toAbsolutePath().normalize() + "=label.index=0", c.build(0, List.of()).get(2));
        } finally {
            Files.delete(agent);
        }
    }
}
