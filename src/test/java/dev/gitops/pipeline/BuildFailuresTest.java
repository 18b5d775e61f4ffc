package dev.gitops.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failure's sentence quotes the end of the build's log, however long the log. */
class BuildFailuresTest {
    @Test
    void theTailOfAHugeLogIsReadFromItsEndAlone() throws Exception {
        Path log = Files.createTempFile("build", ".log");
        String filler = "x".repeat(1000) + "\n";
        try (var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            for (int i = 0; i < 50_000; i++) {
                out.write(filler);
            }
            out.write("y".repeat(100_000) + "\n");
            out.write("[Container] Running command terraform plan\n");
            out.write("Error: Reference to undeclared input variable\n");
        }
        long start = System.nanoTime();
        String tail = BuildFailures.tail(log.toUri().toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tail.endsWith("Error: Reference to undeclared input variable"), tail);
        assertFalse(tail.contains("[Container] Running"), "the runner's bookkeeping is left out");
        assertTrue(tail.length() < 16 * 1024, "long lines are cut: " + tail.length());
        assertTrue(millis < 500, "a 50 MB log is not read whole: " + millis + " ms");
    }
}
