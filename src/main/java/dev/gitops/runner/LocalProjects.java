package dev.gitops.runner;

import dev.gitops.routing.Environment;
import dev.gitops.routing.RunnerEnv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Local mode's build projects, as the SAM template makes them in AWS: for each environment a plan project
 * ({@code gitops-plan-<env>}) and an apply project ({@code gitops-apply-<env>}), chosen by the state machine from the
 * execution's environment, never from the repository. Each keeps its environment's saved plans in a directory of its
 * own and runs with its environment's credentials ({@code gitops.environments.<env>.runner-env}); an environment
 * without any inherits the operator's, like every other such environment.
 */
public final class LocalProjects {
    public static final String PLAN_PREFIX = "gitops-plan-";
    public static final String APPLY_PREFIX = "gitops-apply-";

    /** Variables that carry AWS credentials: an environment with credentials of its own never inherits these. */
    static final Set<String> CREDENTIAL_VARIABLES = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE");

    /**
     * One project.
     *
     * @param variables      what the project sets for every build: {@code PLAN_STORE}, {@code TF_BINARY} and the
     *                       environment's credentials for this action
     * @param ownCredentials whether the environment has credentials of its own (then the operator's are not inherited)
     * @param firstUid       the first user id of the environment's block (isolation {@code users})
     */
    public record Project(String name, String environment, RunnerEnv.Action action, Map<String, String> variables,
                          boolean ownCredentials, int firstUid) {
    }

    /** One environment as the projects need it: its credentials and its block of user ids. */
    public record Builds(String environment, RunnerEnv credentials, int firstUid) {
    }

    private final Map<String, Project> projects;
    private final Map<String, RunnerEnv> credentials;

    private LocalProjects(Map<String, Project> projects, Map<String, RunnerEnv> credentials) {
        this.projects = projects;
        this.credentials = credentials;
    }

    /**
     * @param environments each environment's credentials and user ids
     * @param plansDir     where saved plans are kept: one directory per environment below it
     * @param common       variables every project sets ({@code TF_BINARY})
     */
    public static LocalProjects of(List<Builds> environments, Path plansDir, Map<String, String> common) {
        Map<String, Project> projects = new LinkedHashMap<>();
        Map<String, RunnerEnv> credentials = new LinkedHashMap<>();
        for (Builds builds : environments) {
            String env = builds.environment();
            credentials.put(env, builds.credentials());
            for (RunnerEnv.Action action : RunnerEnv.Action.values()) {
                Map<String, String> variables = new LinkedHashMap<>(common);
                variables.put("PLAN_STORE", plansDir.resolve(env).toAbsolutePath().toString());
                variables.putAll(builds.credentials().of(action));
                String name = (action == RunnerEnv.Action.PLAN ? PLAN_PREFIX : APPLY_PREFIX) + env;
                projects.put(name, new Project(name, env, action, Map.copyOf(variables), builds.credentials().configured(),
                        builds.firstUid()));
            }
        }
        return new LocalProjects(Map.copyOf(projects), Map.copyOf(credentials));
    }

    /** Environments with the default user ids (61000, 61100, ... in the order given). */
    public static LocalProjects of(Map<String, RunnerEnv> environments, Path plansDir, Map<String, String> common) {
        List<Builds> builds = new ArrayList<>();
        environments.forEach((env, credentials) -> builds.add(new Builds(env, credentials,
                Environment.FIRST_RUNNER_UID + Environment.RUNNER_UIDS * builds.size())));
        return of(builds, plansDir, common);
    }

    public Optional<Project> named(String name) {
        return Optional.ofNullable(projects.get(name));
    }

    public List<String> names() {
        return projects.keySet().stream().sorted().toList();
    }

    /**
     * Which environments' builds run with the operator's credentials, as a sentence for the log and {@code /health};
     * null when every environment has its own.
     */
    public String sharingTheOperatorsCredentials() {
        List<String> shared = credentials.entrySet().stream().filter(e -> !e.getValue().configured()).map(Map.Entry::getKey)
                .sorted().toList();
        if (shared.isEmpty()) {
            return null;
        }
        String who = shared.size() == credentials.size() ? "every environment's builds run" : "builds of "
                + String.join(", ", shared) + " run";
        return who + " with the operator's credentials, shared between environments: give each environment its own"
                + " with gitops.environments.<env>.runner-env.plan and .apply";
    }

    /** For each environment, what its plans and applies run with (names, never values). */
    public Map<String, Map<String, String>> describeCredentials() {
        Map<String, Map<String, String>> described = new LinkedHashMap<>();
        credentials.keySet().stream().sorted().forEach(env -> {
            RunnerEnv runnerEnv = credentials.get(env);
            Map<String, String> actions = new LinkedHashMap<>();
            for (RunnerEnv.Action action : RunnerEnv.Action.values()) {
                actions.put(action.wire(), runnerEnv.describe(action));
            }
            described.put(env, actions);
        });
        return described;
    }
}
