package dev.gitops.runner;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code gitops.runner.*}: how the local runner plays CodeBuild. {@code terraform-binary} is {@code terraform} on the
 * build's PATH unless set (OpenTofu: {@code tofu}); {@code path} is that PATH (default: the controller's own);
 * {@code buildspec} is the file both CodeBuild and the runner execute.
 */
@ConfigurationProperties("gitops.runner")
public class RunnerConfiguration {
    @NotBlank
    private String terraformBinary = "terraform";
    private String path;
    @NotBlank
    private String buildspec = "infra-templates/buildspec.yml";

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
