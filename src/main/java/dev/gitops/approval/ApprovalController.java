package dev.gitops.approval;

import dev.gitops.http.Forms;
import dev.gitops.http.PublicUrl;
import dev.gitops.http.RawBody;
import dev.gitops.runtime.Entropy;
import dev.gitops.web.Frame;
import dev.gitops.web.Message;
import dev.gitops.web.Pages;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The approval page. {@code GET /approvals/{id}?sig=} shows the plan and never decides (chat unfurlers and mail
 * scanners fetch links); {@code POST /approvals/{id}} decides once, with the link's signature, a CSRF token bound to a
 * cookie the page set, and an Origin that is the controller's own. Unknown, forged, expired and used links get a
 * page that says so, with a 4xx. The pages are templates ({@code approval/approval.jte}, {@code message.jte}) with the
 * headers of every page ({@link Pages}: no script, no framing, never cached).
 */
@Controller("/approvals")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ApprovalController {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalController.class);
    static final String CSRF_COOKIE = "gitops-csrf";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private final Approvals approvals;
    private final PlanText planText;
    private final Clock clock;
    private final Pages pages;

    public ApprovalController(Approvals approvals, PlanText planText, Clock clock, Pages pages) {
        this.approvals = approvals;
        this.planText = planText;
        this.clock = clock;
        this.pages = pages;
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> show(@PathVariable String id, @Nullable @QueryValue String sig) {
        if (sig == null && id != null && ID.matcher(id).matches() && approvals.store().get(id) != null) {
            // the commit status links here without a signature: say where to look, show nothing, decide nothing
            Approval a = approvals.store().get(id);
            return message(HttpStatus.OK, a.stack() + " in " + a.environment(), "This approval is "
                    + a.status().wire() + ". The plan and the buttons are behind the signed link in the Slack message (or the"
                    + " controller's log).");
        }
        Refusal refusal = check(id, sig);
        if (refusal != null) {
            return message(refusal.status, refusal.title, refusal.sentence);
        }
        Approval approval = approvals.store().get(id);
        byte[] random = Entropy.bytes(16);
        String nonce = HexFormat.of().formatHex(random);
        boolean approversOnly = !approvals.approvers(approval).isEmpty();
        ApprovalPage page = new ApprovalPage(Frame.plain(approval.stack() + " in " + approval.environment()
                + ": approve the plan?", pages.base()), approval, planText.read(approval.planLocation(),
                approval.planTextSha256()), sig, approvals.links().csrf(id, nonce), approversOnly);
        PublicUrl publicUrl = approvals.links().publicUrl();
        return pages.respond(HttpStatus.OK, "approval/approval", page).cookie(Cookie.of(CSRF_COOKIE, nonce).path(publicUrl.path() + "/approvals/" + id)
                .httpOnly(true).sameSite(SameSite.Strict).secure(publicUrl.https()));
    }

    @Post(value = "/{id}", consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> decide(@PathVariable String id, HttpRequest<?> request, @Nullable @Body byte[] body) {
        Map<String, String> form = Forms.decode(RawBody.of(request, body));
        String expectedOrigin = approvals.links().publicUrl().origin();
        String origin = request.getHeaders().get("Origin");
        if (origin == null || !origin.equals(expectedOrigin)) {
            return message(HttpStatus.FORBIDDEN, "Refused",
                    "This request did not come from the approval page (Origin " + (origin == null ? "missing" : origin)
                            + ", expected " + expectedOrigin + "). Open the link and use its buttons.");
        }
        Refusal refusal = check(id, form.get("sig"));
        if (refusal != null) {
            return message(refusal.status, refusal.title, refusal.sentence);
        }
        String nonce = request.getCookies().findCookie(CSRF_COOKIE).map(Cookie::getValue).orElse(null);
        if (!approvals.links().validCsrf(id, nonce, form.get("csrf"))) {
            return message(HttpStatus.FORBIDDEN, "Refused",
                    "The page's security token is missing or wrong: open the link again and decide from that page.");
        }
        Approval approval = approvals.store().get(id);
        if (!approvals.approvers(approval).isEmpty()) {
            return message(HttpStatus.FORBIDDEN, "Decide in Slack", "Only the approvers of "
                    + approval.environment() + " decide, with the buttons of the Slack message.");
        }
        String decision = form.getOrDefault("decision", "");
        String approver = form.getOrDefault("approver", "").strip();
        if (!decision.equals("approve") && !decision.equals("reject")) {
            return message(HttpStatus.BAD_REQUEST, "Nothing decided", "decision must be approve or reject.");
        }
        if (approver.isEmpty() || approver.length() > 100) {
            return message(HttpStatus.BAD_REQUEST, "Nothing decided",
                    "Say who you are (1 to 100 characters): the decision is recorded with your name.");
        }
        return switch (approvals.decide(id, decision.equals("approve"), approver, "page")) {
            case DECIDED -> message(HttpStatus.OK, decision.equals("approve") ? "Approved" : "Rejected",
                    decision.equals("approve") ? "Approved by " + approver + ": the plan is being applied."
                            : "Rejected by " + approver + ": nothing is applied.");
            case ALREADY_DECIDED -> decided(approvals.store().get(id));
            case EXPIRED -> message(HttpStatus.GONE, "Too late",
                    "This approval was already decided or has expired: the execution no longer waits for it.");
            case TRY_AGAIN -> message(HttpStatus.SERVICE_UNAVAILABLE, "Not decided yet",
                    "Step Functions could not be reached, so nothing was decided. Try again in a moment.");
            case UNVERIFIED_PLAN -> message(HttpStatus.CONFLICT, "Nothing decided", "The plan's text does"
                    + " not have the sha256 its plan build recorded, so what the page showed cannot be approved. Reject it"
                    + " and push again.");
            default -> message(HttpStatus.NOT_FOUND, "Unknown approval", "There is no such approval.");
        };
    }

    private record Refusal(HttpStatus status, String title, String sentence) {
    }

    /** Null when the link is good for a pending approval. */
    private Refusal check(String id, String sig) {
        if (id == null || !ID.matcher(id).matches()) {
            return new Refusal(HttpStatus.NOT_FOUND, "Unknown approval", "This is not an approval link.");
        }
        Approval approval = approvals.store().get(id);
        if (approval == null) {
            return new Refusal(HttpStatus.NOT_FOUND, "Unknown approval", "There is no such approval (it may have expired"
                    + " long ago).");
        }
        if (!approvals.links().valid(id, approval.expiresAt(), sig)) {
            return new Refusal(HttpStatus.FORBIDDEN, "Invalid link", "This link's signature is wrong: it was not issued"
                    + " by this controller, or it was changed.");
        }
        if (!approval.pending()) {
            return decidedRefusal(approval);
        }
        if (!approval.expiresAt().isAfter(clock.instant())) {
            return new Refusal(HttpStatus.GONE, "Expired", "This approval expired at " + approval.expiresAt() + ".");
        }
        return null;
    }

    private static Refusal decidedRefusal(Approval a) {
        String what = switch (a.status()) {
            case APPROVED -> "approved by " + a.decidedBy() + " at " + a.decidedAt();
            case REJECTED -> "rejected by " + a.decidedBy() + " at " + a.decidedAt();
            case SUPERSEDED -> "superseded by a newer push at " + a.decidedAt();
            case EXPIRED -> "expired at " + a.decidedAt();
            default -> a.status().wire();
        };
        HttpStatus status = a.status() == ApprovalStatus.EXPIRED || a.status() == ApprovalStatus.SUPERSEDED
                ? HttpStatus.GONE : HttpStatus.CONFLICT;
        return new Refusal(status, "Already decided", "This approval was " + what + ": a link works once.");
    }

    private HttpResponse<String> decided(Approval a) {
        Refusal r = decidedRefusal(a);
        return message(r.status, r.title, r.sentence);
    }

    private MutableHttpResponse<String> message(HttpStatus status, String title, String sentence) {
        if (status.getCode() >= 400) {
            LOG.info("approval page answered {}: {}", status.getCode(), sentence);
        }
        return pages.respond(status, "message", new Message(Frame.plain(title, pages.base()), sentence, null));
    }
}
