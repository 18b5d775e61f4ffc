package dev.gitops.routing;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
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
                    c.getApprovalTimeout(), List.copyOf(c.getApprovers())));
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
