package dev.gitops.approval;

import dev.gitops.execution.PlanResult;

/** The approval page and the pages that refuse or confirm, as HTML. Every value is escaped. */
final class ApprovalPages {
    private ApprovalPages() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String page(String title, String body) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + "</title><style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;"
                + "margin:2rem auto;padding:0 1rem;color:#1b1f24}pre{background:#f6f8fa;padding:1rem;overflow:auto;"
                + "max-height:32rem;font-size:13px}dt{font-weight:600}dd{margin:0 0 .5rem}button{font-size:1rem;"
                + "padding:.5rem 1.25rem;margin-right:.5rem}.approve{background:#1f883d;color:#fff;border:0}"
                + ".reject{background:#cf222e;color:#fff;border:0}.note{background:#fff8c5;padding:.75rem}</style></head>"
                + "<body><h1>" + escape(title) + "</h1>" + body + "</body></html>\n";
    }

    static String message(String title, String sentence) {
        return page(title, "<p id=\"message\">" + escape(sentence) + "</p>");
    }

    static String approval(Approval a, PlanText.Shown plan, String signature, String csrf, boolean approversOnly) {
        PlanResult.Summary s = a.planSummary();
        StringBuilder body = new StringBuilder();
        body.append("<dl>")
                .append("<dt>Environment</dt><dd id=\"environment\">").append(escape(a.environment())).append("</dd>")
                .append("<dt>Stack</dt><dd>").append(escape(a.stack())).append(" (<code>").append(escape(a.dir())).append("</code>)</dd>")
                .append("<dt>Repository</dt><dd>").append(escape(a.repository())).append("</dd>")
                .append("<dt>Commit</dt><dd><code>").append(escape(a.sha())).append("</code> ").append(escape(a.message())).append("</dd>")
                .append("<dt>Pushed by</dt><dd>").append(escape(a.pusher())).append("</dd>")
                .append("<dt>Plan</dt><dd id=\"summary\">").append(s.add()).append(" to add, ")
                .append(s.change()).append(" to change, ").append(s.destroy()).append(" to destroy</dd>")
                .append("<dt>Plan file sha256</dt><dd><code>").append(escape(a.planSha256())).append("</code></dd>")
                .append("<dt>Decide before</dt><dd>").append(escape(String.valueOf(a.expiresAt()))).append("</dd>")
                .append("</dl><h2>terraform show</h2><pre id=\"plan\">").append(escape(plan.text())).append("</pre>");
        if (approversOnly) {
            body.append("<p class=\"note\" id=\"approvers-only\">Only the approvers of ").append(escape(a.environment()))
                    .append(" decide, with the buttons of the Slack message.</p>");
        } else {
            // action "": the page's own address, whatever prefix the controller is served under
            body.append("<form method=\"post\" action=\"\">")
                    .append("<input type=\"hidden\" name=\"sig\" value=\"").append(escape(signature)).append("\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">")
                    .append("<p><label>Your name <input name=\"approver\" id=\"approver\" required maxlength=\"100\"></label>")
                    .append(" (recorded as given: where who decides must be proven, name approvers and decide in Slack)</p>")
                    .append(plan.verified() ? "<button class=\"approve\" id=\"approve\" name=\"decision\" value=\"approve\">"
                            + "Approve and apply</button>" : "")
                    .append("<button class=\"reject\" id=\"reject\" name=\"decision\" value=\"reject\">Reject</button>")
                    .append("</form>");
        }
        return page(a.stack() + " in " + a.environment() + ": approve the plan?", body.toString());
    }
}
