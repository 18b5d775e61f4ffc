package dev.gitops.comments;

import dev.gitops.execution.Commits;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A pull request's plan comment for one environment, as GitHub markdown: a hidden marker that finds it again, then one
 * section per stack (status, counts, a link to the execution's console page, the plan's text in a collapsed
 * {@code <details>} block, a failed plan's sentence). Everything that comes from a push (stack names, directories,
 * plan text, error sentences) is escaped: a stack named {@code </details>} or {@code <script>} stays text. The whole
 * comment stays under GitHub's 65,536 characters: plan texts share what is left and are cut at a line, with a link to
 * the full text.
 */
final class PlanComment {
    /** GitHub refuses a comment body longer than 65,536 characters; this leaves room to spare. */
    static final int MAX = 64_000;

    private PlanComment() {
    }

    /** The hidden line the comment is found by. */
    static String marker(String environment) {
        return "<!-- gitops:pr-comment env=" + environment + " -->";
    }

    /** Where the comment's links lead. */
    interface Links {
        /** The execution's console page. */
        String execution(String name);

        /** The console's page of the execution's whole plan text. */
        String planText(String name);
    }

    /**
     * @param texts each planned stack's plan text (as {@code terraform show} prints it), or null when it cannot be shown
     */
    static String render(CommentStore.Comment comment, Function<StackPlan, String> texts, Links links) {
        CommentStore.Key key = comment.key();
        List<StackPlan> stacks = new ArrayList<>(comment.stacks());
        stacks.sort(Comparator.comparing(StackPlan::dir));
        Map<StackPlan, String> escaped = new java.util.LinkedHashMap<>();
        for (StackPlan stack : stacks) {
            if (stack.status() == StackPlan.Status.PLANNED) {
                String text = texts.apply(stack);
                if (text != null) {
                    escaped.put(stack, html(text));
                }
            }
        }
        Map<StackPlan, String> none = new java.util.HashMap<>();
        escaped.keySet().forEach(s -> none.put(s, ""));
        int fixed = assemble(comment, stacks, none, links).length();
        Map<StackPlan, String> shown = share(escaped, MAX - fixed, links);
        return assemble(comment, stacks, shown, links);
    }

    private static String assemble(CommentStore.Comment comment, List<StackPlan> stacks, Map<StackPlan, String> texts,
                                   Links links) {
        CommentStore.Key key = comment.key();
        StringBuilder out = new StringBuilder(marker(key.environment())).append('\n');
        out.append("### Terraform plans for ").append(md(key.environment())).append('\n');
        long failed = stacks.stream().filter(s -> s.status() == StackPlan.Status.FAILED).count();
        long planning = stacks.stream().filter(s -> s.status() == StackPlan.Status.PLANNING).count();
        out.append(stacks.size()).append(stacks.size() == 1 ? " stack" : " stacks");
        if (comment.headSha() != null) {
            out.append(" at commit ").append(md(Commits.shortSha(comment.headSha())));
        }
        out.append(planning > 0 ? ", " + planning + " planning" : "").append(failed > 0 ? ", " + failed + " failed" : "")
                .append(". This comment is edited as plans finish and on every push.\n");
        for (StackPlan stack : stacks) {
            out.append('\n').append("#### ").append(icon(stack.status())).append(' ').append(md(stack.stack()));
            if (stack.dir() != null && !stack.dir().equals(stack.stack())) {
                out.append(" (").append(md(stack.dir())).append(')');
            }
            out.append(": ").append(describe(stack)).append('\n');
            out.append("Commit ").append(md(Commits.shortSha(stack.sha())));
            if (comment.headSha() != null && stack.sha() != null && !comment.headSha().equals(stack.sha())) {
                out.append(" (an earlier commit: not planned again since)");
            }
            out.append(" · [").append(md(stack.execution())).append("](").append(links.execution(stack.execution())).append(")\n");
            if (stack.status() == StackPlan.Status.FAILED && stack.error() != null) {
                out.append("\n<pre>\n").append(html(stack.error())).append("\n</pre>\n");
            }
            String text = texts.get(stack);
            if (text != null) {
                out.append("\n<details><summary>Plan: ").append(stack.add()).append(" to add, ").append(stack.change())
                        .append(" to change, ").append(stack.destroy()).append(" to destroy</summary>\n\n<pre>\n")
                        .append(text).append("\n</pre>\n\n</details>\n");
            }
        }
        return out.toString();
    }

    /**
     * Shares {@code budget} characters between the plan texts: the shortest whole, the rest equal parts, each cut at a
     * line with a link to the whole text.
     */
    private static Map<StackPlan, String> share(Map<StackPlan, String> texts, int budget, Links links) {
        Map<StackPlan, String> shown = new java.util.HashMap<>();
        List<Map.Entry<StackPlan, String>> bySize = new ArrayList<>(texts.entrySet());
        bySize.sort(Comparator.comparingInt(e -> e.getValue().length()));
        int left = Math.max(0, budget);
        int remaining = bySize.size();
        for (Map.Entry<StackPlan, String> entry : bySize) {
            int share = left / remaining--;
            String text = entry.getValue();
            String cut = text.length() <= share ? text : cut(text, share, links.planText(entry.getKey().execution()));
            shown.put(entry.getKey(), cut);
            left -= cut.length();
        }
        return shown;
    }

    private static String cut(String text, int share, String link) {
        String note = "\n… cut: " + "%d of %d characters shown. The whole plan: " + link;
        int room = share - note.length() - 20;
        if (room <= 0) {
            return "… too long to show here. The whole plan: " + link;
        }
        int end = text.lastIndexOf('\n', room);
        String kept = text.substring(0, end > 0 ? end : room);
        return kept + String.format(note, kept.length(), text.length());
    }

    private static String icon(StackPlan.Status status) {
        return switch (status) {
            case PLANNING -> "⏳";
            case PLANNED -> "📝";
            case NO_CHANGES -> "✅";
            case FAILED -> "❌";
        };
    }

    private static String describe(StackPlan stack) {
        return switch (stack.status()) {
            case PLANNING -> "planning";
            case PLANNED -> "planned, " + stack.add() + " to add, " + stack.change() + " to change, " + stack.destroy()
                    + " to destroy";
            case NO_CHANGES -> "no changes";
            case FAILED -> "failed";
        };
    }

    /** Text for an HTML block ({@code <pre>}): markup characters as entities. */
    static String html(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Text for a line of markdown: markup characters as entities, every other ASCII punctuation backslash-escaped (so
     * it is neither emphasis, a link nor a heading), line breaks as spaces.
     */
    static String md(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            if (c == '&') {
                out.append("&amp;");
            } else if (c == '<') {
                out.append("&lt;");
            } else if (c == '>') {
                out.append("&gt;");
            } else if (c == '\n' || c == '\r') {
                out.append(' ');
            } else if (c < 128 && "\\`*_{}[]()#+-.!|~\"'=:/".indexOf(c) >= 0) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
