package dev.gitops.lock;

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

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
    private final LockRelease release;

    public LockController(LockStore locks, LockRelease release) {
        this.locks = locks;
        this.release = release;
    }

    @Get
    public Page<Item> list() {
        return Page.of(locks.held().stream().map(Item::of).toList());
    }

    @Delete("/{+id}")
    public HttpResponse<?> release(@PathVariable("id") String id, @Nullable @Header("Authorization") String authorization) {
        // the router may hand the id over decoded already; decode what is left, keeping a literal '+'
        String lockId = URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
        LockRelease.Outcome outcome = release.release(lockId, authorization, "the API");
        if (outcome instanceof LockRelease.Released released) {
            return HttpResponse.ok(new Released(Item.of(released.lock())));
        }
        LockRelease.Refused refused = (LockRelease.Refused) outcome;
        return ApiError.respond(refused.status(), refused.code(), refused.message());
    }
}
