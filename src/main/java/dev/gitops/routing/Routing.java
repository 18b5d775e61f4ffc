package dev.gitops.routing;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a branch to its environment by the server's ordered rules (defaults: {@code feature/**} -> dev,
 * {@code develop} -> tst, {@code main} -> prd). Invalid configuration fails at startup, naming the key.
 */
@Singleton
public class Routing {
    private static final Logger LOG = LoggerFactory.getLogger(Routing.class);

    private final List<Environment> environments;

    public Routing(List<EnvironmentConfiguration> configurations) {
        List<String> problems = new ArrayList<>();
        Map<String, EnvironmentConfiguration> byName = new HashMap<>();
        for (EnvironmentConfiguration c : configurations) {
            byName.put(c.getName(), c);
        }
        List<Environment> list = new ArrayList<>();
        Map<Integer, String> orders = new HashMap<>();
        for (EnvironmentConfiguration c : configurations) {
            String key = "gitops.environments." + c.getName();
            if (!c.getName().matches("[a-z0-9]{1,16}")) {
                problems.add(key + ": environment names are 1 to 16 lower-case letters and digits");
            }
            if (c.getOrder() == null) {
                problems.add(key + ".order is required (environments are ordered, e.g. dev=1, tst=2, prd=3)");
            } else if (orders.putIfAbsent(c.getOrder(), c.getName()) != null) {
                problems.add(key + ".order " + c.getOrder() + " is also the order of " + orders.get(c.getOrder()));
            }
            if (c.getBranches().isEmpty()) {
                problems.add(key + ".branches is empty: no branch would deploy to " + c.getName());
            }
            if (ApprovalPolicy.named(c.getApproval()) == null) {
                problems.add(key + ".approval must be 'required' or 'auto', not '" + c.getApproval() + "'");
            }
            if (c.getApprovalTimeout() == null || c.getApprovalTimeout().isNegative() || c.getApprovalTimeout().isZero()) {
                problems.add(key + ".approval-timeout must be a positive duration such as 24h");
            }
        }
        Map<String, Set<String>> aliases = aliases(configurations, problems);
        Map<String, Integer> uids = runnerUids(configurations, problems);
        for (EnvironmentConfiguration c : configurations) {
            String promotion = null;
            if (c.getPromotesTo() != null && !c.getPromotesTo().isBlank()) {
                EnvironmentConfiguration target = byName.get(c.getPromotesTo());
                promotion = target == null ? c.getPromotesTo() : firstLiteral(target.getBranches());
                if (target != null && promotion == null) {
                    problems.add("gitops.environments." + c.getName() + ".promotes-to names " + target.getName()
                            + ", which has no literal branch (only globs) to compare new branches with");
                }
            }
            list.add(new Environment(c.getName(), c.getOrder() == null ? 0 : c.getOrder(),
                    c.getBranches().stream().map(Glob::of).toList(), promotion,
                    Objects.requireNonNullElse(ApprovalPolicy.named(c.getApproval()), ApprovalPolicy.REQUIRED),
                    c.getApprovalTimeout(), List.copyOf(c.getApprovers()), aliases.getOrDefault(c.getName(), Set.of()),
                    RunnerEnv.parse(c.getRunnerEnv(), "gitops.environments." + c.getName() + ".runner-env", problems),
                    uids.getOrDefault(c.getName(), Environment.FIRST_RUNNER_UID)));
        }
        if (list.isEmpty()) {
            problems.add("gitops.environments: no environment is configured");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid environment configuration: " + String.join("; ", problems));
        }
        list.sort(Comparator.comparingInt(Environment::order));
        this.environments = List.copyOf(list);
    }

    /**
     * Each environment's aliases, lower case: an alias must be a name like an environment's and may stand for one
     * environment only; an alias that is another environment's name is dropped (the name wins), with a warning.
     */
    private static Map<String, Set<String>> aliases(List<EnvironmentConfiguration> configurations, List<String> problems) {
        Set<String> names = new TreeSet<>();
        configurations.forEach(c -> names.add(c.getName()));
        Map<String, String> owners = new HashMap<>();
        Map<String, Set<String>> aliases = new HashMap<>();
        for (EnvironmentConfiguration c : configurations) {
            Set<String> own = new TreeSet<>();
            for (String raw : c.getAliases()) {
                String alias = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
                String key = "gitops.environments." + c.getName() + ".aliases";
                if (!alias.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
                    problems.add(key + ": '" + raw + "' is not a directory name (letters, digits, '-' and '_')");
                } else if (names.contains(alias)) {
                    if (!alias.equals(c.getName())) {
                        LOG.warn("{}: '{}' is the name of another environment, which it keeps; the alias is ignored", key, alias);
                    }
                } else if (owners.containsKey(alias) && !owners.get(alias).equals(c.getName())) {
                    problems.add(key + ": '" + alias + "' is also an alias of " + owners.get(alias)
                            + " (a directory can belong to one environment only)");
                } else {
                    owners.put(alias, c.getName());
                    own.add(alias);
                }
            }
            aliases.put(c.getName(), Set.copyOf(own));
        }
        return aliases;
    }

    /**
     * The first user id of each environment's builds: configured, or 61000 + 100 per place in the order; blocks of 100
     * may not overlap, so no two environments' builds ever share a user.
     */
    private static Map<String, Integer> runnerUids(List<EnvironmentConfiguration> configurations, List<String> problems) {
        List<EnvironmentConfiguration> ordered = new ArrayList<>(configurations);
        ordered.sort(Comparator.comparing(c -> c.getOrder() == null ? Integer.MAX_VALUE : c.getOrder()));
        Map<String, Integer> uids = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            EnvironmentConfiguration c = ordered.get(i);
            Integer uid = c.getRunnerUid();
            if (uid != null && (uid < 1000 || uid > 2_000_000_000)) {
                problems.add("gitops.environments." + c.getName() + ".runner-uid must be a user id from 1000 to 2000000000,"
                        + " not " + uid);
            }
            uids.put(c.getName(), uid != null ? uid : Environment.FIRST_RUNNER_UID + Environment.RUNNER_UIDS * i);
        }
        List<Map.Entry<String, Integer>> blocks = new ArrayList<>(uids.entrySet());
        blocks.sort(Map.Entry.comparingByValue());
        for (int i = 1; i < blocks.size(); i++) {
            if (blocks.get(i).getValue() < blocks.get(i - 1).getValue() + Environment.RUNNER_UIDS) {
                problems.add("gitops.environments." + blocks.get(i).getKey() + ".runner-uid " + blocks.get(i).getValue()
                        + " overlaps the user ids of " + blocks.get(i - 1).getKey() + " (" + blocks.get(i - 1).getValue()
                        + " to " + (blocks.get(i - 1).getValue() + Environment.RUNNER_UIDS - 1) + ")");
            }
        }
        return uids;
    }

    /**
     * The environment a directory or file name stands for: an environment's name or one of its aliases (any case), or
     * empty when it names none.
     */
    public Optional<Environment> named(String directoryName) {
        String name = directoryName.toLowerCase(Locale.ROOT);
        return environments.stream().filter(e -> e.name().equals(name)).findFirst()
                .or(() -> environments.stream().filter(e -> e.aliases().contains(name)).findFirst());
    }

    /** The first environment, by order, whose branch globs match. */
    public Optional<Environment> environmentFor(String branch) {
        return environments.stream().filter(e -> e.matches(branch)).findFirst();
    }

    public Optional<Environment> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public List<Environment> environments() {
        return environments;
    }

    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        environments.forEach(e -> names.add(e.name()));
        return names;
    }

    private static String firstLiteral(List<String> branches) {
        return branches.stream().filter(b -> Glob.of(b).isLiteral()).findFirst().orElse(null);
    }
}
