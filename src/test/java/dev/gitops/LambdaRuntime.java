package dev.gitops;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Runs a function from its deployment package the way Lambda's Java runtime does: the package extracted into a
 * directory that plays {@code /var/task} (and is the working directory); a JVM whose classpath is the runtime alone
 * (the runtime interface client and the libraries it ships with, as in {@code /var/runtime/lib}); the client's
 * {@code AWSLambda} main class with the handler as its argument, which loads the handler through its own class loader
 * from the task root and {@code <task root>/lib/*.jar}; Lambda's reserved environment variables; and the JVM flags of
 * Lambda's Java runtime ({@link #JVM_FLAGS}).
 */
public final class LambdaRuntime implements AutoCloseable {
    /** The function's memory in the SAM template; Lambda gives the heap 85% of it. */
    public static final int MEMORY_MB = 2048;

    /**
     * The flags Lambda's java17/java21 runtimes start the JVM with (the tiered compilation pair is what they add, as
     * {@code JAVA_TOOL_OPTIONS} commonly does on older runtimes); {@code -Xshare:auto} stands for their
     * {@code -Xshare:on} with a class-data archive of their own.
     */
    public static final List<String> JVM_FLAGS = List.of("-XX:MaxHeapSize=" + MEMORY_MB * 1024 * 85 / 100 + "k",
            "-XX:+UseSerialGC", "-Xshare:auto", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
            "-XX:+ErrorFileToStderr");

    private final Path runtimeDir;
    private final List<Path> classpath;

    private LambdaRuntime(Path runtimeDir, List<Path> classpath) {
        this.runtimeDir = runtimeDir;
        this.classpath = classpath;
    }

    /** The runtime interface client and its libraries, found on this JVM's classpath; its native library unpacked. */
    public static LambdaRuntime create() {
        try {
            Path dir = Files.createTempDirectory("lambda-runtime");
            List<Path> jars = new ArrayList<>();
            for (String anchor : List.of(AWSLambda.class.getName(), "com.amazonaws.services.lambda.runtime.Context",
                    "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
                    "software.amazon.awssdk.utilslite.SdkInternalThreadLocal")) {
                jars.add(Path.of(Class.forName(anchor).getProtectionDomain().getCodeSource().getLocation().toURI()));
            }
            // as Lambda does, the client's native library is unpacked once, not by each process into /tmp
            try (ZipFile ric = new ZipFile(jars.get(0).toFile()); InputStream so = ric.getInputStream(
                    ric.getEntry("jni/libaws-lambda-jni.linux-" + (System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64") + ".so"))) {
                Files.createDirectories(dir.resolve("jni"));
                Files.copy(so, dir.resolve("jni/libaws-lambda-jni.so"), StandardCopyOption.REPLACE_EXISTING);
            }
            return new LambdaRuntime(dir, List.copyOf(jars));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the Lambda runtime interface client is not on the test classpath", e);
        }
    }

    /** Extracts a deployment package into a fresh directory, as Lambda does into {@code /var/task}. */
    public static Path extract(Path zip) {
        try {
            Path task = Files.createTempDirectory("lambda-task");
            try (ZipFile file = new ZipFile(zip.toFile())) {
                Enumeration<? extends ZipEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    Path target = task.resolve(entry.getName()).normalize();
                    if (!target.startsWith(task)) {
                        throw new IOException("entry outside the package: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        try (InputStream in = file.getInputStream(entry)) {
                            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return task;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes an extracted package (or anything else this made). */
    public static void remove(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the runtime's unpacked native library. */
    @Override
    public void close() {
        remove(runtimeDir);
    }

    /**
     * Starts the function's JVM (its output goes to {@code log}).
     *
     * @param taskRoot   the extracted package
     * @param handler    {@code class::method}
     * @param runtimeApi the Runtime API's host and port
     * @param settings   the function's own environment (its configuration in the template, credentials)
     */
    public Process start(Path taskRoot, String handler, String runtimeApi, Map<String, String> settings, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                + runtimeDir.resolve("jni/libaws-lambda-jni.so"));
        command.add("-classpath");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(AWSLambda.class.getName());
        command.add(handler);
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(taskRoot, handler, runtimeApi));
        builder.environment().putAll(settings);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variables Lambda sets for every function (credentials and the function's own come from the caller). */
    private Map<String, String> environment(Path taskRoot, String handler, String runtimeApi) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "gitops-webhook");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(MEMORY_MB));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/gitops-webhook");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/07/[$LATEST]0123456789abcdef");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        return env;
    }
}
