package dev.gitops.runner;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The install phase of the real buildspec (infra-templates/buildspec.yml), run as the local runner runs it, on a PATH
 * that has no terraform: a pinned Terraform or OpenTofu is downloaded from a releases site (a local double), installed
 * only when its sha256 is the one SHA256SUMS lists, and run by the commands after it; one already on PATH is used as it
 * is. And, as in CodeBuild, the source archive is downloaded again and refused when its sha256 is not the recorded one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildspecInstallTest {
    private static final String ARCH = switch (System.getProperty("os.arch")) {
        case "aarch64", "arm64" -> "arm64";
        default -> "amd64";
    };
    /** What the install phase needs of a stock image, and nothing named terraform or tofu. */
    private static final List<String> TOOLS = List.of("bash", "sh", "env", "cat", "cp", "mv", "rm", "mkdir", "mktemp",
            "chmod", "chown", "id", "uname", "grep", "sed", "awk", "cut", "sha256sum", "curl", "unzip", "date", "dirname");

    private Path dir;
    private Path tools;
    private ReleasesSiteDouble site;

    @BeforeAll
    void tools() throws Exception {
        dir = dev.gitops.Await.sharedDir("buildspec-install");
        tools = dir.resolve("tools");
        Files.createDirectories(tools);
        for (String tool : TOOLS) {
            for (String d : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
                Path found = Path.of(d, tool);
                if (Files.isExecutable(found) && !Files.exists(tools.resolve(tool))) {
                    Files.createSymbolicLink(tools.resolve(tool), found);
                }
            }
        }
        // a stand-in for the AWS CLI's `aws s3 cp s3://bucket/key <file>`: copies <S3_DOUBLE_ROOT>/bucket/key, logs the call
        Path aws = tools.resolve("aws");
        Files.writeString(aws, """
                #!/bin/bash
                echo "$*" >> "$S3_DOUBLE_ROOT/calls"
                [ "$1 $2" = "s3 cp" ] || exit 2
                shift 2; [ "$1" = --only-show-errors ] && shift
                src="${1#s3://}"; cp "$S3_DOUBLE_ROOT/$src" "$2" 2>/dev/null || { echo "fatal error: NoSuchKey: $1" >&2; exit 1; }
                """);
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        site = new ReleasesSiteDouble();
    }

    @AfterAll
    void close() {
        site.close();
    }

    record Run(int exit, String output) {
    }

    /** The buildspec's install phase, then {@code "$TF" version} as the next command, with these variables only. */
    private Run install(Map<String, String> variables) throws Exception {
        Buildspec real = Buildspec.parse(Files.readString(Path.of("infra-templates/buildspec.yml")));
        Buildspec.Phase phase = real.phases().get(0);
        assertEquals("install", phase.name());
        List<String> commands = new ArrayList<>(phase.commands());
        commands.add("\"$TF\" version");
        Path area = Files.createTempDirectory(dir, "build");
        Path src = Files.createDirectories(area.resolve("src"));
        Files.createDirectories(area.resolve("tmp"));
        Buildspec spec = new Buildspec(real.variables(), real.exported(),
                List.of(new Buildspec.Phase("install", commands, List.of(), false)));
        Path script = area.resolve("buildspec.sh");
        Files.writeString(script, spec.script(area));
        ProcessBuilder builder = new ProcessBuilder(tools.resolve("bash").toString(), script.toString(),
                area.resolve("phases").toString(), area.resolve("exports").toString())
                .directory(src.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", tools.toString());
        env.put("HOME", area.toString());
        env.put("TMPDIR", area.resolve("tmp").toString());
        env.put("CODEBUILD_SRC_DIR", src.toString());
        env.put("CODEBUILD_INITIATOR", "codebuild-test");
        // terraform would otherwise run as a user the buildspec creates (it does so as root in CodeBuild)
        env.put("TF_RUN_AS", Files.getAttribute(src, "unix:uid") + ":" + Files.getAttribute(src, "unix:gid"));
        env.put("TF_ACTION", "plan");
        env.put("S3_DOUBLE_ROOT", dir.resolve("s3").toString());
        env.putAll(variables);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        return new Run(process.exitValue(), output);
    }

    @Test
    void withoutTerraformOnPathThePinnedReleaseIsDownloadedCheckedInstalledAndRun() throws Exception {
        site.publish("/terraform/1.11.4", "terraform", "1.11.4", ARCH, "Terraform v1.11.4 (the releases double)", false);
        Run run = install(Map.of("TERRAFORM_VERSION", "1.11.4", "TERRAFORM_RELEASES_URL", site.url() + "/"));
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("terraform 1.11.4 installed in"), run.output());
        assertTrue(run.output().contains("Terraform v1.11.4 (the releases double)"), "the next commands run it: " + run.output());
        assertTrue(site.requests.contains("/terraform/1.11.4/terraform_1.11.4_SHA256SUMS"), site.requests.toString());
    }

    @Test
    void aZipThatIsNotTheOneSha256sumsListsIsRefusedAndNothingIsInstalled() throws Exception {
        site.publish("/tampered/terraform/1.11.5", "terraform", "1.11.5", ARCH, "Terraform v1.11.5", true);
        Run run = install(Map.of("TERRAFORM_VERSION", "1.11.5", "TERRAFORM_RELEASES_URL", site.url() + "/tampered"));
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("terraform_1.11.5_linux_" + ARCH + ".zip does not match its sha256 in"
                + " terraform_1.11.5_SHA256SUMS"), run.output());
        assertTrue(run.output().contains("not installing it"), run.output());
        assertFalse(run.output().contains("not the release"), "the tampered binary never ran: " + run.output());
        assertFalse(run.output().contains("installed in"), run.output());
    }

    @Test
    void aTerraformAlreadyOnPathIsUsedAsItIsWithoutDownloadingAnything() throws Exception {
        Path image = Files.createDirectories(dir.resolve("image-bin"));
        Path terraform = image.resolve("terraform");
        Files.writeString(terraform, "#!/bin/sh\necho 'Terraform v1.9.0 (the image)'\n");
        Files.setPosixFilePermissions(terraform, PosixFilePermissions.fromString("rwxr-xr-x"));
        int before = site.requests.size();
        Run run = install(Map.of("PATH", image + ":" + tools, "TERRAFORM_VERSION", "1.11.4",
                "TERRAFORM_RELEASES_URL", site.url()));
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("Terraform v1.9.0 (the image)"), run.output());
        assertEquals(before, site.requests.size(), "nothing downloaded: " + site.requests);
    }

    @Test
    void withoutAVersionToInstallAMissingTerraformFailsSayingSo() throws Exception {
        Run run = install(Map.of());
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("terraform not found on PATH"), run.output());
    }

    @Test
    void aVersionThatIsNotAReleaseIsRefusedBeforeAnythingIsDownloaded() throws Exception {
        int before = site.requests.size();
        Run run = install(Map.of("TERRAFORM_VERSION", "1.11.4/../../evil", "TERRAFORM_RELEASES_URL", site.url()));
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("is not a release version"), run.output());
        assertEquals(before, site.requests.size(), site.requests.toString());
    }

    @Test
    void openTofuIsInstalledFromItsOwnLayoutLikewise() throws Exception {
        site.publish("/download/v1.10.0", "tofu", "1.10.0", ARCH, "OpenTofu v1.10.0 (the releases double)", false);
        Run run = install(Map.of("TF_BINARY", "tofu", "TOFU_VERSION", "1.10.0", "TOFU_RELEASES_URL", site.url() + "/download"));
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("OpenTofu v1.10.0 (the releases double)"), run.output());
        assertTrue(site.requests.contains("/download/v1.10.0/tofu_1.10.0_linux_" + ARCH + ".zip"), site.requests.toString());
    }

    @Test
    void aTamperedOpenTofuZipIsRefusedLikewise() throws Exception {
        site.publish("/tampered/v1.10.1", "tofu", "1.10.1", ARCH, "OpenTofu v1.10.1", true);
        Run run = install(Map.of("TF_BINARY", "tofu", "TOFU_VERSION", "1.10.1", "TOFU_RELEASES_URL", site.url() + "/tampered"));
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("tofu_1.10.1_linux_" + ARCH + ".zip does not match its sha256 in tofu_1.10.1_SHA256SUMS"),
                run.output());
    }

    @Test
    void anOpenTofuAlreadyOnPathIsUsedAsItIs() throws Exception {
        Path image = Files.createDirectories(dir.resolve("image-tofu"));
        Path tofu = image.resolve("tofu");
        Files.writeString(tofu, "#!/bin/sh\necho 'OpenTofu v1.9.0 (the image)'\n");
        Files.setPosixFilePermissions(tofu, PosixFilePermissions.fromString("rwxr-xr-x"));
        int before = site.requests.size();
        Run run = install(Map.of("PATH", image + ":" + tools, "TF_BINARY", "tofu", "TOFU_VERSION", "1.10.0",
                "TOFU_RELEASES_URL", site.url()));
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("OpenTofu v1.9.0 (the image)"), run.output());
        assertEquals(before, site.requests.size(), site.requests.toString());
    }

    /** A source archive in the S3 double, and the variables a build of it gets. */
    private Map<String, String> source(String key, String content, String recordedSha256) throws IOException {
        Path object = dir.resolve("s3").resolve("plans-bucket").resolve(key);
        Files.createDirectories(object.getParent());
        Files.writeString(object, content);
        Path image = Files.createDirectories(dir.resolve("image-bin"));
        Path terraform = image.resolve("terraform");
        Files.writeString(terraform, "#!/bin/sh\necho 'Terraform v1.9.0 (the image)'\n");
        Files.setPosixFilePermissions(terraform, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("PATH", image + ":" + tools);
        variables.put("SOURCE_LOCATION", "s3://plans-bucket/" + key);
        variables.put("SOURCE_SHA256", recordedSha256);
        return variables;
    }

    @Test
    void inCodeBuildTheSourceArchiveIsDownloadedAgainAndBuiltOnlyWhenItsSha256IsTheRecordedOne() throws Exception {
        String archive = "the archive the controller made";
        Run same = install(source("sources/acme/infra/a1.zip", archive,
                ReleasesSiteDouble.sha256(archive.getBytes(StandardCharsets.UTF_8))));
        assertEquals(0, same.exit(), same.output());
        assertTrue(same.output().contains("source archive s3://plans-bucket/sources/acme/infra/a1.zip has the sha256 the"
                + " controller recorded"), same.output());

        Run other = install(source("sources/acme/infra/b2.zip", "an archive put there since",
                ReleasesSiteDouble.sha256(archive.getBytes(StandardCharsets.UTF_8))));
        assertEquals(1, other.exit(), other.output());
        assertTrue(other.output().contains("the source archive s3://plans-bucket/sources/acme/infra/b2.zip is not the one the"
                + " controller made"), other.output());
        assertFalse(other.output().contains("Terraform v1.9.0"), "nothing ran after the refusal: " + other.output());

        Map<String, String> missing = source("sources/acme/infra/c3.zip", archive, "");
        missing.put("SOURCE_SHA256", "");
        Run unrecorded = install(missing);
        assertEquals(1, unrecorded.exit(), unrecorded.output());
        assertTrue(unrecorded.output().contains("came without its sha256"), unrecorded.output());
    }

    @Test
    void theLocalRunnerWhichChecksOutTheCommitItselfSkipsTheSourceCheck() throws Exception {
        Path calls = dir.resolve("s3").resolve("calls");
        Files.createDirectories(calls.getParent());
        Files.deleteIfExists(calls);
        Map<String, String> local = source("sources/acme/infra/d4.zip", "anything", "0".repeat(64));
        local.put("CODEBUILD_INITIATOR", "states/local");
        Run run = install(local);
        assertEquals(0, run.exit(), run.output());
        assertFalse(Files.exists(calls), "the AWS CLI was not called");

        Map<String, String> none = source("sources/acme/infra/e5.zip", "anything", "0".repeat(64));
        none.put("SOURCE_LOCATION", "");
        assertEquals(0, install(none).exit());
        assertFalse(Files.exists(calls), "nor without a source location");
    }
}
