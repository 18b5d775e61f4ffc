package dev.gitops.local;

import dev.gitops.console.BuildLogs;
import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Prototype;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The local runner's build logs, {@code <data-dir>/builds/<build uuid>/build.log}, read by the console
 * ({@code /ui/builds/<build uuid>}): the last {@link #TAIL} of each, whole lines.
 */
@Prototype
@LocalMode
class LocalBuildLogs implements BuildLogs {
    static final int TAIL = 256 * 1024;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Path builds;

    LocalBuildLogs(LocalConfiguration config) {
        this.builds = config.dataPath().resolve("builds");
    }

    @Override
    public Optional<String> link(String base, String buildId, String deepLink) {
        if (buildId == null) {
            return Optional.empty();
        }
        String key = buildId.substring(buildId.indexOf(':') + 1);
        return KEY.matcher(key).matches() ? Optional.of(base + "/ui/builds/" + key) : Optional.empty();
    }

    @Override
    public Optional<Tail> tail(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        Path log = builds.resolve(key).resolve("build.log");
        if (!Files.isRegularFile(log)) {
            return Optional.empty();
        }
        try (SeekableByteChannel file = Files.newByteChannel(log)) {
            long size = file.size();
            ByteBuffer end = ByteBuffer.allocate((int) Math.min(size, TAIL));
            file.position(size - end.capacity());
            while (end.hasRemaining() && file.read(end) >= 0) {
                // fill the buffer
            }
            String text = new String(end.array(), 0, end.position(), StandardCharsets.UTF_8);
            long shown = end.position();
            if (size > TAIL) {
                int newline = text.indexOf('\n');
                text = newline < 0 ? text : text.substring(newline + 1); // begun in the middle of a line
                shown = text.getBytes(StandardCharsets.UTF_8).length;
            }
            return Optional.of(new Tail(text, size, shown));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
