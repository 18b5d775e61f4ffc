package dev.gitops.lock;

import dev.gitops.http.AdminToken;
import dev.gitops.http.ApiError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Releasing a lock whoever holds it, with the admin token: what {@code DELETE /api/locks/{id}} and the console's release
 * form both do. The execution that held it is not stopped: its {@code CheckLock} fails rather than apply.
 */
@Singleton
public class LockRelease {
    private static final Logger LOG = LoggerFactory.getLogger(LockRelease.class);

    /** What became of a release. */
    public sealed interface Outcome permits Released, Refused {
    }

    /** The lock was held and is free now; {@code lock} is how it was. */
    public record Released(Lock lock) implements Outcome {
    }

    /** Nothing was released: the status, code and sentence of the refusal. */
    public record Refused(int status, String code, String message) implements Outcome {
    }

    private final LockStore locks;
    private final AdminToken admin;
    private final Clock clock;

    public LockRelease(LockStore locks, AdminToken admin, Clock clock) {
        this.locks = locks;
        this.admin = admin;
        this.clock = clock;
    }

    /**
     * @param authorization the {@code Authorization} header: {@code Bearer <gitops.admin-token>}
     * @param via           who asked, for the log ("the API", "the console")
     */
    public Outcome release(String lockId, @Nullable String authorization, String via) {
        HttpResponse<ApiError> refused = admin.refusal(authorization, "releasing locks");
        if (refused != null) {
            ApiError error = refused.body();
            return new Refused(refused.code(), error.error(), error.message());
        }
        Lock released = locks.forceRelease(lockId);
        if (released == null || !released.heldAt(clock.instant())) {
            return new Refused(404, "lock-not-held", "nobody holds lock '" + lockId + "'");
        }
        LOG.info("lock \"{}\" of execution \"{}\" released through {}", lockId, released.holder(), via);
        return new Released(released);
    }
}
