package dev.gitops.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Installs the Terraform test double ({@code src/test/resources/terraform-double/terraform}, a Python script that
 * honours Terraform's CLI contract: init, plan -detailed-exitcode -out, show -json, apply of a saved plan, stale-plan
 * refusal) as an executable named {@code terraform} in a directory meant for the build's PATH. Terraform itself cannot
 * be installed on the machines these tests run on.
 */
public final class TerraformDouble {
    private TerraformDouble() {
    }

    /** @return the directory holding {@code terraform}, which builds' own users may enter */
    public static Path install(Path dir) {
        try (InputStream in = TerraformDouble.class.getResourceAsStream("/terraform-double/terraform")) {
            Files.createDirectories(dir);
            for (Path d = dir; d != null && d.startsWith(Path.of(System.getProperty("java.io.tmpdir"))); d = d.getParent()) {
                if (!d.equals(Path.of(System.getProperty("java.io.tmpdir")))) {
                    var permissions = java.util.EnumSet.copyOf(Files.getPosixFilePermissions(d));
                    permissions.addAll(PosixFilePermissions.fromString("r-xr-xr-x"));
                    Files.setPosixFilePermissions(d, permissions);
                }
            }
            Path binary = dir.resolve("terraform");
            Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PATH with the double first, then the system's (bash, python3, sha256sum). */
    public static String path(Path dir) {
        return dir + ":/usr/bin:/bin";
    }
}
