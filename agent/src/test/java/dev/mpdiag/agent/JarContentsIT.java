package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** Fails when the packaged agent jar would put a class outside dev.mpdiag.agent on the host's classpath. */
class JarContentsIT {

    static final String OUR_PACKAGE = "dev/mpdiag/agent/";

    @Test
    void everyClassIsInOurPackage() throws Exception {
        List<String> classes = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        try (JarFile jar = new JarFile(AgentRecordingIT.agentJar().toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class")) {
                    classes.add(name);
                    if (!name.startsWith(OUR_PACKAGE)) {
                        foreign.add(name);
                    }
                }
            }
        }
        assertTrue(classes.contains(OUR_PACKAGE + "AgentMain.class"), "AgentMain missing: " + classes);
        assertTrue(foreign.isEmpty(), "classes outside " + OUR_PACKAGE + ": " + foreign);
    }

    @Test
    void manifestNamesTheAgentEntryPoints() throws Exception {
        try (JarFile jar = new JarFile(AgentRecordingIT.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            for (String key : List.of("Premain-Class", "Agent-Class", "Main-Class")) {
                assertEquals(AgentMain.class.getName(), main.getValue(key), key);
            }
        }
    }
}
