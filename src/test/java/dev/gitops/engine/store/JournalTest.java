package dev.gitops.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest {
    @TempDir
    Path dir;

    private Journal journal() {
        return new EngineStore(dir).journal("machine", "run");
    }

    @Test
    void readersSeeOnlyWholeBatches() throws Exception {
        Journal journal = journal();
        journal.create(List.of("{\"id\":1}", "{\"id\":2}"));
        journal.append(List.of("{\"id\":3}"));
        // A killed process wrote part of a batch: one whole line, then a torn one, and no commit record.
        Files.writeString(journal.file(), "{\"id\":4}\n{\"id\":", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertEquals(List.of(1, 2, 3), ids(journal.readAll()));
        assertEquals(List.of(1, 2, 3), ids(journal.tail(1 << 16)));
        assertFalse(journal.endsCommitted());
    }

    @Test
    void repairCutsAPartlyWrittenBatchSoTheNextAppendStartsClean() throws Exception {
        Journal journal = journal();
        journal.create(List.of("{\"id\":1}"));
        long whole = Files.size(journal.file());
        Files.writeString(journal.file(), "{\"id\":2}\n{\"id\":3,\"torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertTrue(journal.repair());
        assertEquals(whole, Files.size(journal.file()));
        assertTrue(journal.endsCommitted());
        journal.append(List.of("{\"id\":2}"));
        assertEquals(List.of(1, 2), ids(journal.readAll()));
        assertFalse(journal.repair(), "a whole journal is left alone");
    }

    @Test
    void aNewJournalRefusesToOverwriteAnExistingOne() throws Exception {
        Journal journal = journal();
        journal.create(List.of("{\"id\":1}"));
        assertThrows(FileAlreadyExistsException.class, () -> journal.create(List.of("{\"id\":9}")));
        assertEquals(List.of(1), ids(journal.readAll()));
    }

    private static List<Integer> ids(List<JsonNode> lines) {
        return lines.stream().map(line -> line.get("id").asInt()).toList();
    }
}
