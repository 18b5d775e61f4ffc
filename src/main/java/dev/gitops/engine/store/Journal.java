package dev.gitops.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.engine.data.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One execution's append-only journal: one JSON object per line, history events as the API returns them and the
 * engine's own records (objects with an {@code "@"} field). Each batch is written in one write and ends with a commit
 * record; readers see only committed batches, so a process killed mid-write leaves the journal at its last whole
 * batch ({@link #repair} cuts the rest off). No fsync: the journal survives a killed process, not a power cut.
 */
public final class Journal {
    private static final String COMMIT = "{\"@\":\"c\"}";

    private final Path file;

    Journal(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Writes the first batch of a new journal; fails if the file already exists. */
    public void create(List<String> lines) throws FileAlreadyExistsException {
        try {
            Files.createDirectories(file.getParent());
            write(lines, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the execution journal " + file, e);
        }
    }

    /** Appends one batch. On a failed write the file is cut back to where it was, so no half batch stays behind. */
    public void append(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        long before = -1;
        try {
            before = Files.size(file);
            write(lines, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("the execution journal " + file + " is missing", e);
        } catch (IOException e) {
            if (before >= 0) {
                truncate(before);
            }
            throw new UncheckedIOException("cannot write the execution journal " + file, e);
        }
    }

    private void write(List<String> lines, OpenOption... options) throws IOException {
        StringBuilder text = new StringBuilder(64 * lines.size() + COMMIT.length() + 1);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        text.append(COMMIT).append('\n');
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
        try (FileChannel channel = FileChannel.open(file, options)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /** Every committed line, parsed (commit records left out). */
    public List<JsonNode> readAll() {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            return committed(bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the execution journal " + file, e);
        }
    }

    /** The first line (the execution's start record). */
    public JsonNode first() {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            return line == null || line.isEmpty() ? null : Json.parseTrusted(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the execution journal " + file, e);
        }
    }

    /** The committed lines within the last {@code bytes} bytes of the file (a partial first line dropped). */
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
            return committed(buffer, Math.min(from, buffer.length), buffer.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the execution journal " + file, e);
        }
    }

    /**
     * Cuts off what follows the last commit record: a batch a killed process wrote only in part. Returns whether
     * anything was cut.
     */
    public boolean repair() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int end = committedEnd(bytes);
            if (end < bytes.length) {
                truncate(end);
                return true;
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair the execution journal " + file, e);
        }
    }

    /** Whether the file ends exactly after a commit record (the cheap check before a {@link #repair}). */
    public boolean endsCommitted() {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            int n = COMMIT.length() + 1;
            if (in.length() < n) {
                return false;
            }
            byte[] end = new byte[n];
            in.seek(in.length() - n);
            in.readFully(end);
            return new String(end, StandardCharsets.UTF_8).equals(COMMIT + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the execution journal " + file, e);
        }
    }

    private void truncate(long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cut back the execution journal " + file, e);
        }
    }

    /** The byte offset just after the last commit record. */
    private static int committedEnd(byte[] bytes) {
        byte[] commit = (COMMIT + "\n").getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int end = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                int length = i + 1 - start;
                if (length == commit.length && java.util.Arrays.equals(bytes, start, i + 1, commit, 0, commit.length)) {
                    end = i + 1;
                }
                start = i + 1;
            }
        }
        return end;
    }

    private static List<JsonNode> committed(byte[] bytes, int from, int to) {
        List<JsonNode> lines = new ArrayList<>();
        List<JsonNode> batch = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                if (i > start) {
                    String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                    if (line.equals(COMMIT)) {
                        lines.addAll(batch);
                        batch.clear();
                    } else {
                        batch.add(Json.parseTrusted(line));
                    }
                }
                start = i + 1;
            }
        }
        return lines;
    }
}
