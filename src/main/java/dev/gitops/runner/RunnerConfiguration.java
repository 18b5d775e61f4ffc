package dev.gitops.runner;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;

/**
 * {@code gitops.runner.*}: how the local runner plays CodeBuild. {@code terraform-binary} is {@code terraform} on the
 * build's PATH unless set (OpenTofu: {@code tofu}); {@code path} is that PATH (default: the controller's own);
 * {@code buildspec} is the file both CodeBuild and the runner execute; {@code isolation} how builds are kept from the
 * controller ({@link Isolation}); {@code work-dir} where build areas are made (outside the data directory);
 * {@code max-concurrent-builds} how many run at once (the others queue).
 */
@ConfigurationProperties("gitops.runner")
public class RunnerConfiguration {
    @NotBlank
    private String terraformBinary = "terraform";
    private String path;
    @NotBlank
    private String buildspec = "infra-templates/buildspec.yml";
    @NotNull
    private Isolation.Mode isolation = Isolation.Mode.AUTO;
    @NotBlank
    private String workDir = Path.of(System.getProperty("java.io.tmpdir"), "gitops-builds").toString();
    @Min(1)
    @Max(50)
    private int maxConcurrentBuilds = 4;

    public Isolation.Mode getIsolation() {
        return isolation;
    }

    public void setIsolation(Isolation.Mode isolation) {
        this.isolation = isolation;
    }

    public String getWorkDir() {
        return workDir;
    }

    public void setWorkDir(String workDir) {
        this.workDir = workDir;
    }

    public int getMaxConcurrentBuilds() {
        return maxConcurrentBuilds;
    }

    public void setMaxConcurrentBuilds(int maxConcurrentBuilds) {
        this.maxConcurrentBuilds = maxConcurrentBuilds;
    }

    public String getTerraformBinary() {
        return terraformBinary;
    }

    public void setTerraformBinary(String terraformBinary) {
        this.terraformBinary = terraformBinary;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getBuildspec() {
        return buildspec;
    }

    public void setBuildspec(String buildspec) {
        this.buildspec = buildspec;
    }
}
