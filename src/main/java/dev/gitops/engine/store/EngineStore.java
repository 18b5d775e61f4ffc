package dev.gitops.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.engine.data.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's files under its data directory:
 * <pre>
 * state-machines/&lt;name&gt;.json                 the state machine (current definition, role, status)
 * revisions/&lt;name&gt;/&lt;revisionId&gt;.asl.json      every definition executions may still run
 * executions/&lt;state machine&gt;/&lt;name&gt;.jsonl   one journal per execution
 * executions/&lt;state machine&gt;/closed.index      one line per closed execution: what a restart needs of it, so
 *                                             that it reads no closed execution's journal
 * </pre>
 */
public final class EngineStore {
    private final Path root;

    public EngineStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("state-machines"));
            Files.createDirectories(root.resolve("executions"));
            Files.createDirectories(root.resolve("revisions"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the engine data directory " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    public void saveStateMachine(String name, ObjectNode record) {
        writeAtomically(root.resolve("state-machines").resolve(fileName(name) + ".json"), Json.write(record));
    }

    public void deleteStateMachine(String name) {
        try {
            Files.deleteIfExists(root.resolve("state-machines").resolve(fileName(name) + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<JsonNode> loadStateMachines() {
        List<JsonNode> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root.resolve("state-machines"), "*.json")) {
            for (Path file : files) {
                records.add(Json.parseTrusted(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    public void saveRevision(String stateMachine, String revisionId, String definition) {
        Path file = root.resolve("revisions").resolve(fileName(stateMachine)).resolve(revisionId + ".asl.json");
        if (!Files.exists(file)) {
            writeAtomically(file, definition);
        }
    }

    public String loadRevision(String stateMachine, String revisionId) {
        try {
            return Files.readString(root.resolve("revisions").resolve(fileName(stateMachine)).resolve(revisionId + ".asl.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("definition revision " + revisionId + " of " + stateMachine + " is missing", e);
        }
    }

    private static final String CLOSED_INDEX = "closed.index";

    /** Appends one closed execution's record to its state machine's index. */
    public synchronized void indexClosed(String stateMachine, ObjectNode record) {
        Path index = root.resolve("executions").resolve(fileName(stateMachine)).resolve(CLOSED_INDEX);
        try {
            Files.createDirectories(index.getParent());
            Files.writeString(index, Json.write(record) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + index, e);
        }
    }

    /** The closed executions of a state machine's index; a torn last line (a killed process) is left out. */
    public synchronized List<JsonNode> closedIndex(String stateMachine) {
        Path index = root.resolve("executions").resolve(fileName(stateMachine)).resolve(CLOSED_INDEX);
        List<JsonNode> records = new ArrayList<>();
        if (!Files.exists(index)) {
            return records;
        }
        try {
            for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
                try {
                    if (!line.isBlank()) {
                        records.add(Json.parseTrusted(line));
                    }
                } catch (RuntimeException torn) {
                    // a line the process was killed while writing: its journal is read instead
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
        return records;
    }

    /** Replaces a state machine's index (after forgetting executions older than the retention). */
    public synchronized void rewriteClosedIndex(String stateMachine, List<JsonNode> records) {
        StringBuilder text = new StringBuilder();
        records.forEach(r -> text.append(Json.write(r)).append('\n'));
        writeAtomically(root.resolve("executions").resolve(fileName(stateMachine)).resolve(CLOSED_INDEX), text.toString());
    }

    /** The journal a state machine's index names by its file name. */
    public Journal indexedJournal(String stateMachine, String file) {
        return new Journal(root.resolve("executions").resolve(fileName(stateMachine)).resolve(Path.of(file).getFileName()));
    }

    public Journal journal(String stateMachine, String execution) {
        return new Journal(root.resolve("executions").resolve(fileName(stateMachine)).resolve(fileName(execution) + ".jsonl"));
    }

    /** Every journal of one state machine. */
    public List<Journal> journals(String stateMachine) {
        Path dir = root.resolve("executions").resolve(fileName(stateMachine));
        List<Journal> journals = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return journals;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jsonl")) {
            for (Path file : files) {
                journals.add(new Journal(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return journals;
    }

    /**
     * Names are already free of '/', '%' and control characters (the API refuses those); a leading dot is escaped so
     * no name becomes "." or ".." or a hidden file.
     */
    static String fileName(String name) {
        return name.startsWith(".") ? "%2E" + name.substring(1) : name;
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".tmp-", ".part");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
