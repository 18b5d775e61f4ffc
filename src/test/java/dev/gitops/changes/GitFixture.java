package dev.gitops.changes;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real, throwaway Git setup for tests: a bare "remote" (what GitHub would host, reached over file://) and a
 * working clone to commit and push from.
 */
public final class GitFixture implements AutoCloseable {
    public final Path root;
    public final Path remote;
    public final Path work;
    private final Git git;

    private GitFixture(Path root, String fullName) throws Exception {
        this.root = root;
        this.remote = root.resolve("remote/" + fullName + ".git");
        this.work = root.resolve("work/" + fullName);
        Files.createDirectories(remote);
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
        this.git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
        git.getRepository().getConfig().setString("remote", "origin", "url", url());
        git.getRepository().getConfig().setString("user", null, "name", "Ann Example");
        git.getRepository().getConfig().setString("user", null, "email", "ann@example.com");
        git.getRepository().getConfig().save();
    }

    public static GitFixture create() {
        try {
            return new GitFixture(Files.createTempDirectory("git-fixture"), "acme/infra");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A repository {@code owner/repo} under {@code root}: many fixtures can share one URL template. */
    public static GitFixture create(Path root, String fullName) {
        try {
            return new GitFixture(root, fullName);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes, commits and pushes (to main and develop) a small Terraform repository: stacks infra/vpc (using module
     * modules/network, which uses modules/base; with tst and prd env files), infra/dns, environments/dev/app and
     * environments/prd/app, plus shared/common.tfvars and a README. Returns the commit.
     */
    public String sampleInfrastructure() {
        write("modules/base/main.tf", "variable \"name\" {}\n")
                .write("modules/network/main.tf", "module \"base\" {\n  source = \"../base\"\n  name = \"net\"\n}\n")
                .write("infra/vpc/main.tf", "terraform {\n  backend \"s3\" {}\n}\nmodule \"net\" {\n  source = \"../../modules/network\"\n}\n")
                .write("infra/vpc/env_specific_vars/tst.tfvars", "cidr = \"10.1.0.0/16\"\n")
                .write("infra/vpc/env_specific_vars/prd.tfvars", "cidr = \"10.2.0.0/16\"\n")
                .write("infra/vpc/backend_configs/tst.config", "key = \"tst/vpc\"\n")
                .write("infra/vpc/backend_configs/prd.config", "key = \"prd/vpc\"\n")
                .write("infra/dns/main.tf", "terraform {\n  backend \"s3\" {}\n}\n")
                .write("infra/dns/records.tf", "# records\n")
                .write("environments/dev/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n")
                .write("environments/prd/app/main.tf", "terraform {\n  backend \"s3\" {}\n}\n")
                .write("shared/common.tfvars", "region = \"eu-west-1\"\n")
                .write("README.md", "# infra\n");
        String sha = commit("base");
        pushBranch("main").pushBranch("develop");
        return sha;
    }

    /**
     * The per-environment layout users have: {@code environments/dev}, {@code environments/stage} and
     * {@code environments/prod}, each with its own {@code backend.tf} and a {@code main.tf} calling
     * {@code modules/network}. Committed and pushed to main, develop and feature/base. Returns the commit.
     */
    public String perEnvironmentLayout() {
        write("modules/network/main.tf", "variable \"cidr\" {}\nresource \"terraform_data\" \"vpc\" {\n  input = var.cidr\n}\n");
        for (String env : new String[]{"dev", "stage", "prod"}) {
            write("environments/" + env + "/backend.tf", "terraform {\n  backend \"s3\" {\n    key = \"" + env + "/network\"\n  }\n}\n")
                    .write("environments/" + env + "/main.tf", "module \"network\" {\n  source = \"../../modules/network\"\n  cidr = \"10.0.0.0/16\"\n}\n")
                    .write("environments/" + env + "/terraform.tfvars", "region = \"eu-west-1\"\n");
        }
        String sha = commit("per-environment layout");
        pushBranch("main").pushBranch("develop");
        return sha;
    }

    /**
     * The shared-files layout users have: stacks {@code network} and {@code tf_remote_backend} and, at the root,
     * {@code backend_configs/<env>.config} and {@code env_specific_vars/<env>.tfvars} for dev, tst and prd. Committed
     * and pushed to main and develop. Returns the commit.
     */
    public String sharedEnvFilesLayout() {
        write("network/main.tf", "terraform {\n  backend \"s3\" {}\n}\nvariable \"cidr\" {}\n")
                .write("tf_remote_backend/main.tf", "terraform {\n  backend \"s3\" {}\n}\n");
        for (String env : new String[]{"dev", "tst", "prd"}) {
            write("backend_configs/" + env + ".config", "key = \"" + env + "/state\"\n")
                    .write("env_specific_vars/" + env + ".tfvars", "cidr = \"10.0.0.0/16\"\n");
        }
        String sha = commit("shared env files layout");
        pushBranch("main").pushBranch("develop");
        return sha;
    }

    /** The remote's URL, as a clone URL template would give it. */
    public String url() {
        return remote.toUri().toString();
    }

    /** The template that maps {owner}/{repo} to this fixture's remotes. */
    public String urlTemplate() {
        return root.resolve("remote").toUri() + "{owner}/{repo}.git";
    }

    public GitFixture write(String path, String content) {
        try {
            Path file = work.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A symbolic link at {@code path} pointing at {@code target} (relative), as git stores one. */
    public GitFixture symlink(String path, String target) {
        try {
            Path link = work.resolve(path);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(target));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GitFixture delete(String path) {
        try {
            Path target = work.resolve(path);
            if (Files.isDirectory(target)) {
                try (var files = Files.walk(target)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            } else {
                Files.delete(target);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GitFixture move(String from, String to) {
        try {
            Path target = work.resolve(to);
            Files.createDirectories(target.getParent());
            Files.move(work.resolve(from), target);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits everything in the work tree and returns the commit id. */
    public String commit(String message) {
        try {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            RevCommit commit = git.commit().setMessage(message).setAllowEmpty(true).call();
            return commit.name();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String head() {
        try {
            ObjectId id = git.getRepository().resolve("HEAD");
            return id == null ? null : id.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commit a branch of the remote points at, or null when the remote has no such branch. */
    public String remoteHead(String branch) {
        java.nio.file.Path ref = remote.resolve("refs/heads/" + branch);
        try {
            return java.nio.file.Files.exists(ref) ? java.nio.file.Files.readString(ref).trim() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GitFixture checkout(String branch, boolean create) {
        try {
            git.checkout().setName(branch).setCreateBranch(create).call();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves the current branch back to {@code commit}, as before a force push. */
    public GitFixture resetHard(String commit) {
        try {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit).call();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes the current HEAD to {@code ref} on the remote, forced. */
    public GitFixture push(String ref) {
        try {
            git.push().setRemote("origin").setRefSpecs(new RefSpec("+HEAD:" + ref)).setForce(true).call();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public GitFixture pushBranch(String branch) {
        return push("refs/heads/" + branch);
    }

    public GitFixture deleteRemoteRef(String ref) {
        try {
            git.push().setRemote("origin").setRefSpecs(new RefSpec(":" + ref)).call();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
