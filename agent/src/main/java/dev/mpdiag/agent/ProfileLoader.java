package dev.mpdiag.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Map;
import jdk.jfr.Configuration;

/**
 * Loads JFR settings from a profile bundled in mpagent.jar (profiles/*.jfc of this repository) or from any
 * .jfc file. Settings naming events this JDK does not have (jdk.CPUTimeSample before JDK 25) load and are
 * ignored by JFR, so one profile serves every JDK.
 */
final class ProfileLoader {

    static final String RESOURCE_DIR = "/dev/mpdiag/agent/profiles/";

    private ProfileLoader() {
    }

    /** A profile's name as upload headers and the MBean show it, and its JFR settings. */
    record Profile(String name, Map<String, String> settings) {
    }

    /**
     * Loads {@code profile}; one that cannot be loaded falls back to the built-in default with a warning,
     * and a missing built-in default to the JDK's own default.jfc.
     */
    static Profile loadOrFallBack(String profile) throws IOException, ParseException {
        try {
            return new Profile(displayName(profile), load(profile));
        } catch (IOException | ParseException | RuntimeException e) {
            String fallback = AgentOptions.DEFAULT_PROFILE;
            if (profile.equals(fallback)) {
                AgentLog.warn("profile " + profile + " unusable (" + AgentLog.describe(e)
                        + "); recording with the JDK's default.jfc");
                return new Profile("jdk-default", Configuration.getConfiguration("default").getSettings());
            }
            AgentLog.warn("profile " + AgentOptions.quote(profile) + " unusable (" + AgentLog.describe(e)
                    + "); using " + fallback);
            return loadOrFallBack(fallback);
        }
    }

    /** The settings of {@code profile}, a built-in name or a path; throws with the reason it cannot. */
    static Map<String, String> load(String profile) throws IOException, ParseException {
        if (AgentOptions.BUILT_IN_PROFILES.contains(profile)) {
            InputStream in = ProfileLoader.class.getResourceAsStream(RESOURCE_DIR + profile + ".jfc");
            if (in == null) {
                throw new IOException("built-in profile " + profile + " is missing from mpagent.jar");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return Configuration.create(reader).getSettings();
            }
        }
        try (Reader reader = Files.newBufferedReader(Path.of(profile), StandardCharsets.UTF_8)) {
            return Configuration.create(reader).getSettings();
        }
    }

    /** How the profile is named in upload headers: the built-in name, or the .jfc file's name. */
    static String displayName(String profile) {
        String name = AgentOptions.BUILT_IN_PROFILES.contains(profile) ? profile
                : Path.of(profile).getFileName().toString();
        return name.replaceAll("[^\\x20-\\x7E]", "?"); // it goes into an HTTP header
    }
}
