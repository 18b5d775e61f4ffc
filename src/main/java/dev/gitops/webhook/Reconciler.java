package dev.gitops.webhook;

import dev.gitops.notify.GithubApi;
import dev.gitops.notify.GithubDeliveries;
import dev.gitops.notify.GithubDeliveries.Attempt;
import dev.gitops.notify.GithubDeliveries.Hook;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * No missed delivery is a missed deployment: GitHub never retries a delivery that failed or timed out, so the
 * reconciler lists the configured hooks' recent deliveries ({@code gitops.reconciler.*}) and asks GitHub to deliver
 * again, once each, every push or pull request none of whose attempts the controller answered with a 2xx (a 5xx, a
 * timeout, no connection). Its refusals of bad input (4xx) are not asked for again: they would be refused alike. The
 * redelivery carries the same delivery id, so the front door starts whatever the first attempt did not, once.
 */
@Singleton
public class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final Set<String> EVENTS = Set.of("push", "pull_request");

    /** What one pass did. */
    public record Result(int hooks, int failed, List<String> redelivered, List<String> problems) {
    }

    private final ReconcilerConfiguration config;
    private final GithubDeliveries github;
    private final DeliveryStore store;
    private final Clock clock;

    Reconciler(ReconcilerConfiguration config, GithubDeliveries github, DeliveryStore store, Clock clock) {
        this.config = config;
        this.github = github;
        this.store = store;
        this.clock = clock;
    }

    public Result reconcile() {
        List<String> redelivered = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int failed = 0;
        if (!config.isEnabled() || config.getHooks().isEmpty()) {
            return new Result(0, 0, redelivered, List.of("the reconciler is off: set gitops.reconciler.enabled and"
                    + " gitops.reconciler.hooks"));
        }
        Instant since = clock.instant().minus(config.getLookback());
        for (String spec : config.getHooks()) {
            List<Attempt> unanswered;
            Hook hook;
            try {
                hook = Hook.parse(spec);
                unanswered = unanswered(github.since(hook, since));
            } catch (GithubApi.Unavailable | IllegalArgumentException e) {
                LOG.warn("reconciler: {}", e.getMessage());
                problems.add(e.getMessage());
                continue;
            }
            for (Attempt latest : unanswered) {
                failed++;
                if (!store.claimRedelivery(latest.guid())) {
                    continue; // asked for once already: if that failed too, a person looks
                }
                try {
                    github.redeliver(hook, latest);
                } catch (GithubApi.Unavailable e) {
                    store.releaseRedelivery(latest.guid()); // not asked after all: the next pass asks
                    LOG.warn("reconciler: {}", e.getMessage());
                    problems.add(e.getMessage());
                    continue;
                }
                LOG.info("reconciler: asked GitHub to deliver {} \"{}\" of hook {} again (its last attempt: {} {})",
                        latest.event(), latest.guid(), hook, latest.statusCode(), latest.status());
                redelivered.add(latest.guid());
            }
        }
        return new Result(config.getHooks().size(), failed, redelivered, problems);
    }

    /** Per delivery (guid) none of whose attempts was answered with a 2xx, its latest attempt, if worth asking again. */
    private static List<Attempt> unanswered(List<Attempt> newestFirst) {
        Map<String, List<Attempt>> byGuid = new LinkedHashMap<>();
        for (Attempt attempt : newestFirst) {
            byGuid.computeIfAbsent(attempt.guid(), g -> new ArrayList<>()).add(attempt);
        }
        List<Attempt> unanswered = new ArrayList<>();
        for (List<Attempt> attempts : byGuid.values()) {
            Attempt latest = attempts.get(0);
            if (EVENTS.contains(latest.event()) && attempts.stream().noneMatch(Attempt::answered) && worthRetrying(latest)) {
                unanswered.add(latest);
            }
        }
        return unanswered;
    }

    /** A timeout or no connection (0), a 5xx, or the controller's "try later" answers (408, 429). */
    private static boolean worthRetrying(Attempt attempt) {
        int code = attempt.statusCode();
        return code == 0 || code >= 500 || code == 408 || code == 429;
    }
}
