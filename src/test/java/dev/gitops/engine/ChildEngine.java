package dev.gitops.engine;

import dev.gitops.TestClasspath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link EngineProcess} in a child JVM on the test classpath and talks to it. */
public final class ChildEngine implements AutoCloseable {
    public final Process process;
    public final int port;
    private final BufferedReader out;
    private final Writer in;

    private ChildEngine(Process process, int port, BufferedReader out, Writer in) {
        this.process = process;
        this.port = port;
        this.out = out;
        this.in = in;
    }

    public static ChildEngine start(Path dataDir, Path invocations, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", TestClasspath.of(EngineProcess.class), EngineProcess.class.getName(),
                dataDir.toString(), "0", invocations.toString()));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    return new ChildEngine(process, Integer.parseInt(line.substring(6).trim()), out,
                            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
                }
            }
            throw new IllegalStateException("the engine process ended before it was ready (exit " + process.waitFor() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asks the child for heap and RSS after a full GC: "heapUsed=... heapCommitted=... heapMax=... rss=...". */
    public String stats() throws IOException {
        in.write("stats\n");
        in.flush();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("STATS ")) {
                return line.substring(6);
            }
        }
        throw new IllegalStateException("the engine process ended");
    }

    /** kill -9: no shutdown hook, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
