package dev.gitops.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One execution's append-only journal: one JSON object per line, history events as the API returns them and the
 * engine's own records (objects with an {@code "@"} field). Each batch of lines reaches the file in one write, so a
 * killed process leaves whole batches (a torn last line is ignored on reading). No fsync: the journal survives a
 * killed process, not a power cut.
 */
public final class Journal {
    private final Path file;

    Journal(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public void append(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        int size = 0;
        for (String line : lines) {
            size += line.length() + 1;
        }
        StringBuilder text = new StringBuilder(size);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(text));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (NoSuchFileException e) {
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException inner) {
                throw new UncheckedIOException(inner);
            }
            append(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the execution journal " + file, e);
        }
    }

    /** Every complete line, parsed. */
    public List<JsonNode> readAll() {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            return parseLines(bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the execution journal " + file, e);
        }
    }

    /** The first complete line. */
    public JsonNode first() {
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            return line == null ? null : Json.parseTrusted(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the execution journal " + file, e);
        }
    }

    /** The complete lines within the last {@code bytes} bytes of the file (the first, possibly partial, one dropped). */
    public List<JsonNode> tail(int bytes) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long start = Math.max(0, length - bytes);
            byte[] buffer = new byte[(int) (length - start)];
            in.seek(start);
            in.readFully(buffer);
            int from = 0;
            if (start > 0) {
                while (from < buffer.length && buffer[from] != '\n') {
                    from++;
                }
                from++;
            }
            return parseLines(buffer, Math.min(from, buffer.length), buffer.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the execution journal " + file, e);
        }
    }

    private static List<JsonNode> parseLines(byte[] bytes, int from, int to) {
        List<JsonNode> lines = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                if (i > start) {
                    lines.add(Json.parseTrusted(new String(bytes, start, i - start, StandardCharsets.UTF_8)));
                }
                start = i + 1;
            }
        }
        return lines;
    }
}
