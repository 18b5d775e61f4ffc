package dev.gitops.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one AWS profile a build may use, copied out of the operator's {@code ~/.aws/config} and
 * {@code ~/.aws/credentials} (or {@code AWS_CONFIG_FILE}, {@code AWS_SHARED_CREDENTIALS_FILE}) into the build's own home,
 * with the profiles it names as {@code source_profile}: a build whose user cannot read the operator's files, or whose
 * sandbox hides them, gets that profile and no other environment's.
 */
final class AwsProfiles {
    private static final Logger LOG = LoggerFactory.getLogger(AwsProfiles.class);

    private AwsProfiles() {
    }

    /**
     * Writes the profile's sections into {@code home/.aws/}; the variables that point the build at them, or none when
     * the operator's files have no such profile (the build then has no profile, and says so when it needs one).
     *
     * @param asked whether the profile was named (a warning when it is missing), not just the default one
     */
    static Map<String, String> copy(String profile, Map<String, String> controller, Path home, boolean asked)
            throws IOException {
        String operatorHome = controller.getOrDefault("HOME", System.getProperty("user.home"));
        Path config = Path.of(controller.getOrDefault("AWS_CONFIG_FILE", operatorHome + "/.aws/config"));
        Path credentials = Path.of(controller.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", operatorHome + "/.aws/credentials"));
        Map<String, Map<String, String>> configSections = read(config);
        Map<String, Map<String, String>> credentialSections = read(credentials);
        Set<String> chain = new LinkedHashSet<>();
        Deque<String> next = new ArrayDeque<>(List.of(profile));
        while (!next.isEmpty()) {
            String name = next.pop();
            if (!chain.add(name)) {
                continue;
            }
            Map<String, String> section = configSections.get(configName(name));
            if (section != null && section.get("source_profile") != null) {
                next.add(section.get("source_profile"));
            }
        }
        StringBuilder configOut = new StringBuilder();
        StringBuilder credentialsOut = new StringBuilder();
        for (String name : chain) {
            append(configOut, configName(name), configSections.get(configName(name)));
            append(credentialsOut, name, credentialSections.get(name));
        }
        if (configOut.length() == 0 && credentialsOut.length() == 0) {
            if (asked) {
                LOG.warn("builds: no AWS profile \"{}\" in \"{}\" or \"{}\"", profile, config, credentials);
            }
            return Map.of();
        }
        Path dir = Files.createDirectories(home.resolve(".aws"));
        Path configCopy = dir.resolve("config");
        Path credentialsCopy = dir.resolve("credentials");
        Files.writeString(configCopy, configOut, StandardCharsets.UTF_8);
        Files.writeString(credentialsCopy, credentialsOut, StandardCharsets.UTF_8);
        return Map.of("AWS_CONFIG_FILE", configCopy.toString(), "AWS_SHARED_CREDENTIALS_FILE", credentialsCopy.toString(),
                "AWS_PROFILE", profile);
    }

    private static String configName(String profile) {
        return profile.equals("default") ? "default" : "profile " + profile;
    }

    private static void append(StringBuilder out, String name, Map<String, String> section) {
        if (section == null) {
            return;
        }
        out.append('[').append(name).append("]\n");
        section.forEach((key, value) -> out.append(key).append(" = ").append(value).append('\n'));
    }

    /** An INI file's sections (nested settings such as {@code s3 =} blocks are kept as their lines). */
    private static Map<String, Map<String, String>> read(Path file) throws IOException {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        if (!Files.isReadable(file)) {
            return sections;
        }
        Map<String, String> current = null;
        String lastKey = null;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(), k -> new LinkedHashMap<>());
                lastKey = null;
            } else if (current != null && Character.isWhitespace(raw.charAt(0)) && lastKey != null) {
                current.merge(lastKey, "\n  " + line, String::concat);
            } else if (current != null && line.contains("=")) {
                int eq = line.indexOf('=');
                lastKey = line.substring(0, eq).strip();
                current.put(lastKey, line.substring(eq + 1).strip());
            }
        }
        return sections;
    }
}
