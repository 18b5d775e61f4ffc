package dev.gitops.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.ApiErrors;
import io.micronaut.context.annotation.Value;
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
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;

/**
 * {@code GET /api/locks} (the locks held now) and {@code DELETE /api/locks/{id}} (release one whoever holds it; id
 * URL-encoded; {@code Authorization: Bearer <gitops.admin-token>}, refused when no token is configured). Releasing a
 * lock does not stop its execution: its Apply step checks ownership first and fails rather than apply.
 */
@Controller("/api/locks")
@ExecuteOn(TaskExecutors.BLOCKING)
public class LockController {
    private static final Logger LOG = LoggerFactory.getLogger(LockController.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LockStore locks;
    private final Clock clock;
    private final String adminToken;

    public LockController(LockStore locks, Clock clock, @Nullable @Value("${gitops.admin-token:}") String adminToken) {
        this.locks = locks;
        this.clock = clock;
        this.adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken;
    }

    @Get
    public ObjectNode list() {
        List<ObjectNode> items = locks.held().stream().map(LockController::json).toList();
        return ApiErrors.list(items, null);
    }

    @Delete("/{+id}")
    public HttpResponse<ObjectNode> release(@PathVariable("id") String id, @Nullable @Header("Authorization") String authorization) {
        if (adminToken == null) {
            return ApiErrors.error(403, "admin-token-not-configured",
                    "releasing locks needs gitops.admin-token (GITOPS_ADMIN_TOKEN) to be set on the controller");
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return ApiErrors.error(401, "unauthorized", "send Authorization: Bearer <gitops.admin-token>");
        }
        byte[] given = authorization.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, adminToken.getBytes(StandardCharsets.UTF_8))) {
            return ApiErrors.error(401, "unauthorized", "the bearer token is not gitops.admin-token");
        }
        // the router may hand the id over decoded already; decode what is left, keeping a literal '+'
        String lockId = URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
        Lock released = locks.forceRelease(lockId);
        if (released == null || !released.heldAt(clock.instant())) {
            return ApiErrors.error(404, "lock-not-held", "nobody holds lock '" + lockId + "'");
        }
        LOG.info("lock \"{}\" of execution \"{}\" released through the API", lockId, released.holder());
        ObjectNode body = MAPPER.createObjectNode();
        body.set("released", json(released));
        return HttpResponse.ok(body);
    }

    static ObjectNode json(Lock lock) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", lock.lockId()).put("holder", lock.holder()).put("execution", lock.holderName())
                .put("sha", lock.sha()).put("branch", lock.branch()).put("phase", lock.phase())
                .put("acquiredAt", String.valueOf(lock.acquiredAt())).put("expiresAt", String.valueOf(lock.expiresAt()))
                .put("nextInLine", lock.nextInLine());
        return node;
    }
}
