package dev.gitops.comments;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The comment's markdown: what comes from a push stays text (a stack named {@code </details>} closes nothing, one named
 * {@code <script>} runs nothing, a plan cannot end its {@code <pre>}), and several huge plans share GitHub's limit.
 */
class PlanCommentTest {
    private static final PlanComment.Links LINKS = new PlanComment.Links() {
        @Override
        public String execution(String name) {
            return "https://gitops.example/ui/executions/" + name;
        }

        @Override
        public String planText(String name) {
            return "https://gitops.example/ui/executions/" + name + "/plan";
        }
    };

    private static StackPlan plan(String stack, String dir, StackPlan.Status status, String error) {
        return new StackPlan(stack, dir, status, "a".repeat(40), "tst-" + stack.replaceAll("[^a-z]", "") + "-aaaaaaa-1",
                1, 0, 0, "/plans/x", "sha", error, "2026-12-01T00:00:00Z");
    }

    private static CommentStore.Comment comment(List<StackPlan> stacks) {
        return new CommentStore.Comment(new CommentStore.Key("acme/infra", 7, "tst"), 3, 42L, stacks, "a".repeat(40));
    }

    @Test
    void namesDirectoriesPlansAndErrorsFromAPushStayText() {
        String body = PlanComment.render(comment(List.of(
                plan("</details>", "infra/<script>alert(1)</script>", StackPlan.Status.PLANNED, null),
                plan("db", "infra/db", StackPlan.Status.FAILED, "Error: </pre></details><img src=x onerror=alert(1)>"))),
                s -> "  # null_resource.x will be created\n</pre></details><script>alert(2)</script>\n", LINKS);
        assertFalse(body.contains("<script>"), body);
        assertFalse(body.contains("<img"), body);
        assertEquals(1, body.split("</details>", -1).length - 1, "only the comment's own </details>: " + body);
        assertEquals(2, body.split("</pre>", -1).length - 1, "only the comment's own </pre>s: " + body);
        assertTrue(body.contains("&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;alert(2)"), body);
        assertTrue(body.contains("&lt;/details&gt;"), "the stack's name is shown, as text: " + body);
        assertTrue(body.startsWith(PlanComment.marker("tst")), body);
    }

    @Test
    void hugePlansShareTheLimitEachCutAtALineWithItsLink() {
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            huge.append("  # null_resource.r").append(i).append(" will be created\n");
        }
        String body = PlanComment.render(comment(List.of(plan("a", "infra/a", StackPlan.Status.PLANNED, null),
                plan("b", "infra/b", StackPlan.Status.PLANNED, null), plan("c", "infra/c", StackPlan.Status.NO_CHANGES, null))),
                s -> s.stack().equals("a") ? "  # null_resource.small will be created\n" : huge.toString(), LINKS);
        assertTrue(body.length() <= PlanComment.MAX, "within the limit: " + body.length());
        assertTrue(body.length() > PlanComment.MAX - 2_000, "and using it: " + body.length());
        assertTrue(body.contains("null_resource.small"), "the small plan whole");
        assertTrue(body.contains("… cut: ") && body.contains("https://gitops.example/ui/executions/tst-b-aaaaaaa-1/plan"), body);
        assertTrue(body.contains("no changes"));
    }
}
