package dev.gitops.lock;

import dev.gitops.http.AdminToken;
import dev.gitops.http.ApiError;
import dev.gitops.http.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code GET /api/locks} (the locks held now) and {@code DELETE /api/locks/{id}} (release one whoever holds it; id
 * URL-encoded; {@code Authorization: Bearer <gitops.admin-token>}, refused when no token is configured). Releasing a
 * lock does not stop its execution: its Apply step checks ownership first and fails rather than apply.
 */
@Controller("/api/locks")
@ExecuteOn(TaskExecutors.BLOCKING)
public class LockController {
    private static final Logger LOG = LoggerFactory.getLogger(LockController.class);

    /** A lock as the API shows it. */
    public record Item(String id, String holder, String execution, String sha, String branch, Lock.Phase phase,
                       String acquiredAt, String expiresAt, String nextInLine) {
        static Item of(Lock lock) {
            return new Item(lock.lockId(), lock.holder(), lock.holderName(), lock.sha(), lock.branch(), lock.phase(),
                    text(lock.acquiredAt()), text(lock.expiresAt()), lock.nextInLine());
        }

        private static String text(Instant time) {
            return Objects.toString(time, null);
        }
    }

    /** {@code DELETE}'s answer: the lock as it was. */
    public record Released(Item released) {
    }

    private final LockStore locks;
    private final Clock clock;
    private final AdminToken admin;

    public LockController(LockStore locks, Clock clock, AdminToken admin) {
        this.locks = locks;
        this.clock = clock;
        this.admin = admin;
    }

    @Get
    public Page<Item> list() {
        return Page.of(locks.held().stream().map(Item::of).toList());
    }

    @Delete("/{+id}")
    public HttpResponse<?> release(@PathVariable("id") String id, @Nullable @Header("Authorization") String authorization) {
        HttpResponse<ApiError> refused = admin.refusal(authorization, "releasing locks");
        if (refused != null) {
            return refused;
        }
        // the router may hand the id over decoded already; decode what is left, keeping a literal '+'
        String lockId = URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
        Lock released = locks.forceRelease(lockId);
        if (released == null || !released.heldAt(clock.instant())) {
            return ApiError.respond(404, "lock-not-held", "nobody holds lock '" + lockId + "'");
        }
        LOG.info("lock \"{}\" of execution \"{}\" released through the API", lockId, released.holder());
        return HttpResponse.ok(new Released(Item.of(released)));
    }
}
