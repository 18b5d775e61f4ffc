package dev.gitops.console;

import dev.gitops.approval.ApprovalLinks;
import dev.gitops.execution.Commits;
import dev.gitops.http.Forms;
import dev.gitops.http.RawBody;
import dev.gitops.lock.Lock;
import dev.gitops.lock.LockRelease;
import dev.gitops.lock.LockStore;
import dev.gitops.web.Frame;
import dev.gitops.web.Message;
import dev.gitops.web.Pages;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code /ui/locks}: the locks held now, with holder, phase and age; and {@code POST /ui/locks/release}, the release
 * form's target: the same release as {@code DELETE /api/locks/{id}} ({@link LockRelease}) with the admin token typed
 * into the form, after the checks every deciding form has here (an Origin that is the controller's own, a CSRF token
 * tied to a cookie the page set).
 */
@Controller("/ui/locks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Prototype // not created while the function starts: see web.Templates
class LockPages {
    static final String CSRF_COOKIE = "gitops-console-csrf";
    private static final String PURPOSE = "release-lock";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LockStore locks;
    private final LockRelease release;
    private final ApprovalLinks links;
    private final Pages pages;
    private final Clock clock;

    LockPages(LockStore locks, LockRelease release, ApprovalLinks links, Pages pages, Clock clock) {
        this.locks = locks;
        this.release = release;
        this.links = links;
        this.pages = pages;
        this.clock = clock;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> list() {
        return page(HttpStatus.OK, null, null);
    }

    @Post(value = "/release", consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    HttpResponse<String> release(HttpRequest<?> request, @Nullable @Body byte[] body) {
        String base = pages.base();
        Map<String, String> form = Forms.decode(RawBody.of(request, body));
        String expected = links.publicUrl().origin();
        String origin = request.getHeaders().get("Origin");
        if (origin == null || !origin.equals(expected)) {
            return pages.respond(HttpStatus.FORBIDDEN, "message", new Message(new Frame("Refused", base, "locks", 0),
                    "This request did not come from the console's locks page (Origin " + (origin == null ? "missing" : origin)
                            + ", expected " + expected + "): nothing was released.", base + "/ui/locks"));
        }
        String nonce = request.getCookies().findCookie(CSRF_COOKIE).map(Cookie::getValue).orElse(null);
        if (!links.validFormToken(PURPOSE, nonce, form.get("csrf"))) {
            return page(HttpStatus.FORBIDDEN, null, "The page's security token is missing or wrong: nothing was released."
                    + " Release from this page.");
        }
        String id = form.getOrDefault("id", "").strip();
        String token = form.getOrDefault("token", "").strip();
        if (id.isEmpty()) {
            return page(HttpStatus.BAD_REQUEST, null, "Say which lock to release (the form's id field is empty).");
        }
        if (token.isEmpty()) {
            return page(HttpStatus.UNAUTHORIZED, null, "Type the admin token (gitops.admin-token) to release lock " + id
                    + ": nothing was released.");
        }
        LockRelease.Outcome outcome = release.release(id, "Bearer " + token, "the console");
        if (outcome instanceof LockRelease.Released released) {
            return page(HttpStatus.OK, "Released lock " + id + ", held by " + released.lock().holderName() + ". That"
                    + " execution is not stopped: its CheckLock fails rather than apply.", null);
        }
        LockRelease.Refused refused = (LockRelease.Refused) outcome;
        String sentence = switch (refused.code()) {
            case "unauthorized" -> "That is not the admin token (gitops.admin-token): lock " + id + " was not released.";
            case "lock-not-held" -> "Nobody holds lock " + id + " (it was released or expired meanwhile).";
            default -> refused.message() + ": lock " + id + " was not released.";
        };
        return page(HttpStatus.valueOf(refused.status()), null, sentence);
    }

    private HttpResponse<String> page(HttpStatus status, String notice, String error) {
        String base = pages.base();
        Instant now = clock.instant();
        List<LocksPage.Row> rows = locks.held().stream().map(lock -> row(lock, now, base)).toList();
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String nonce = HexFormat.of().formatHex(random);
        LocksPage page = new LocksPage(new Frame("Locks", base, "locks", 0), rows, links.formToken(PURPOSE, nonce), notice, error);
        return pages.respond(status, "console/locks", page).cookie(Cookie.of(CSRF_COOKIE, nonce).path(base + "/ui/locks")
                .httpOnly(true).sameSite(SameSite.Strict).secure(links.publicUrl().https()));
    }

    private static LocksPage.Row row(Lock lock, Instant now, String base) {
        String holder = lock.holderName();
        return new LocksPage.Row(lock.lockId(), holder, holder == null ? null : base + "/ui/executions/" + holder,
                lock.sha() == null ? "" : Commits.shortSha(lock.sha()), lock.branch(),
                lock.phase() == null ? "" : lock.phase().wire(), String.valueOf(lock.acquiredAt()),
                lock.acquiredAt() == null ? "" : age(Duration.between(lock.acquiredAt(), now)), String.valueOf(lock.expiresAt()),
                lock.nextInLine() == null ? null : lock.nextInLine().substring(lock.nextInLine().lastIndexOf(':') + 1));
    }

    /** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86400 + " d " + s % 86400 / 3600 + " h";
    }
}
