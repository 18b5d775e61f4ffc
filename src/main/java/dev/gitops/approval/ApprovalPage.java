package dev.gitops.approval;

import dev.gitops.web.Frame;

/**
 * What the approval page ({@code approval/approval.jte}) shows: the approval, its plan's text, and the form's hidden
 * fields (the link's signature and the CSRF token), or a note that only the environment's approvers decide (in Slack).
 */
public record ApprovalPage(Frame frame, Approval approval, PlanText.Shown plan, String signature, String csrf,
                           boolean approversOnly) {
}
