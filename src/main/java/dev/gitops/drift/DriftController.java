package dev.gitops.drift;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.http.AdminToken;
import dev.gitops.http.ApiError;
import dev.gitops.http.Page;
import dev.gitops.routing.Routing;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code GET /api/drift?environment=}: each stack's latest drift check; {@code POST /api/drift} (admin token; body
 * {@code {"environment"}}, optional) starts a check now, of one environment or all.
 */
@Controller("/api/drift")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DriftController {
    /** A stack's latest check, as the API shows it. */
    public record Item(String repository, String stack, String dir, String environment, DriftStatus status, String sha,
                       String checkedAt, String summary) {
        static Item of(DriftStore.Check c) {
            return new Item(c.repository(), c.stack(), c.dir(), c.environment(), c.status(), c.sha(), c.checkedAt(),
                    c.summary());
        }
    }

    /** {@code POST}'s body. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Request(String environment) {
    }

    private final DriftStore store;
    private final DriftChecks checks;
    private final AdminToken admin;
    private final Routing routing;

    private final ObjectMapper mapper;

    public DriftController(DriftStore store, DriftChecks checks, AdminToken admin, Routing routing, ObjectMapper mapper) {
        this.store = store;
        this.checks = checks;
        this.admin = admin;
        this.routing = routing;
        this.mapper = mapper;
    }

    @Get
    public HttpResponse<?> list(@Nullable @QueryValue String environment) {
        String env = environment == null || environment.isBlank() ? null : environment;
        if (env != null && routing.environment(env).isEmpty()) {
            return ApiError.respond(400, "unknown-environment", "'" + env + "' is not a configured environment ("
                    + String.join(", ", routing.names()) + ")");
        }
        return HttpResponse.ok(Page.of(store.list(env).stream().map(Item::of).toList()));
    }

    @Post(consumes = MediaType.ALL)
    public HttpResponse<?> start(@Nullable @Header("Authorization") String authorization, @Nullable @Body String text) {
        HttpResponse<ApiError> refused = admin.refusal(authorization, "starting a drift check");
        if (refused != null) {
            return refused;
        }
        Request body;
        try {
            body = text == null || text.isBlank() ? null : mapper.readValue(text, Request.class);
        } catch (JsonProcessingException e) {
            return ApiError.respond(400, "malformed-json", "the body must be {\"environment\": \"<env>\"} or empty: "
                    + e.getOriginalMessage());
        }
        String env = body == null || body.environment() == null || body.environment().isBlank() ? null : body.environment();
        if (env != null && routing.environment(env).isEmpty()) {
            return ApiError.respond(400, "unknown-environment", "'" + env + "' is not a configured environment ("
                    + String.join(", ", routing.names()) + ")");
        }
        try {
            return HttpResponse.accepted().body(checks.start(env));
        } catch (SdkException | IllegalStateException e) {
            return ApiError.respond(503, "drift-not-started", "the drift check could not be started: " + e.getMessage());
        }
    }
}
