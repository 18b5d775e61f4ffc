package dev.gitops.changes;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The source archive builds start from, written from a real mirror of a real repository. */
class SourceArchiveTest {
    @Test
    void aCommitIsArchivedWithItsFilesAndModesWithoutSymlinksAndAlwaysToTheSameBytes() throws Exception {
        try (GitFixture git = GitFixture.create();
             GitMirror mirror = new GitMirror(Files.createTempDirectory("archive-mirror"), null)) {
            git.write("infra/app/main.tf", "terraform {\n  backend \"local\" {}\n}\n").write("scripts/probe.sh", "#!/bin/sh\necho hi\n")
                    .symlink("infra/app/secrets", "../../../../etc");
            Files.setPosixFilePermissions(git.work.resolve("scripts/probe.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
            String sha = git.commit("files, an executable and a symlink");
            git.pushBranch("main");
            assertEquals(List.of(), mirror.fetch("acme/infra", git.url(), List.of("refs/heads/main"), List.of(ObjectId.fromString(sha))));

            SourceArchive first = SourceArchive.of(mirror.repository("acme/infra"), ObjectId.fromString(sha));
            SourceArchive second = SourceArchive.of(mirror.repository("acme/infra"), ObjectId.fromString(sha));
            try {
                assertEquals(first.sha256(), second.sha256(), "one commit, the same bytes: its key and sha256 hold");
                Map<String, Integer> modes = new TreeMap<>();
                try (ZipFile zip = ZipFile.builder().setPath(first.file()).get()) {
                    for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                        modes.put(entry.getName(), entry.getUnixMode());
                    }
                }
                assertEquals(Map.of("infra/app/main.tf", 0100644, "scripts/probe.sh", 0100755), modes,
                        "regular files with their modes; the symlink out of the tree is left out");
                assertEquals(2, first.files());
            } finally {
                Files.deleteIfExists(first.file());
                Files.deleteIfExists(second.file());
            }
            assertTrue(first.sha256().matches("[0-9a-f]{64}"));
        }
    }
}
