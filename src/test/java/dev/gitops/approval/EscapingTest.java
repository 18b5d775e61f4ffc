package dev.gitops.approval;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.execution.PlanResult;
import dev.gitops.web.Frame;
import dev.gitops.web.TestTemplates;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names, paths, branches and commit messages come from pushes: wherever they are shown they stay text. A directory
 * named {@code <!channel>} pings nobody, a commit message cannot add a link or a line to the log.
 */
class EscapingTest {
    private static final String HOSTILE = "<!channel> <https://evil.example|Approve here> `x` & <script>alert(1)</script>";

    private static Approval approval() {
        return new Approval("0123456789abcdef0123456789abcdef", ApprovalStatus.PENDING, "token", "arn:aws:states:us-east-1:1:execution:m:e",
                "acme/infra", HOSTILE, "infra/" + HOSTILE, "prd", "acme/infra/x/prd", "feature/" + HOSTILE, "a".repeat(40),
                HOSTILE + "\nsecond line", "mallory " + HOSTILE, new PlanResult.Summary(1, 0, 0, Map.of("create",
                List.of("aws_s3_bucket." + HOSTILE))), "/nowhere", "sha", "textsha", Instant.now(), Instant.now(), null, null, null);
    }

    @Test
    void aSlackMessageShowsPushValuesAsTextOnly() throws Exception {
        String json = new ObjectMapper().writeValueAsString(SlackMessages.request(approval(), "https://gitops.example/approvals/x?sig=y"))
                + new ObjectMapper().writeValueAsString(SlackMessages.decided(approval(), ApprovalStatus.APPROVED, HOSTILE))
                + new ObjectMapper().writeValueAsString(SlackMessages.superseded(approval(), "b".repeat(40)));
        assertFalse(json.contains("<!channel>"), json);
        assertFalse(json.contains("<https://evil"), json);
        assertFalse(json.contains("<script>"), json);
        assertTrue(json.contains("&lt;!channel&gt;"), "shown, as text: " + json);
    }

    @Test
    void theApprovalPageShowsPushValuesAsTextOnly() {
        String page = TestTemplates.render("approval/approval", new ApprovalPage(Frame.plain(HOSTILE, ""), approval(),
                new PlanText.Shown("# " + HOSTILE, true), "sig", "csrf", false));
        assertFalse(page.contains("<script>"), page);
        assertFalse(page.contains("<!channel>"), page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
    }

    @Test
    void aLogLineWithALineBreakInAValueStaysOneLine() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var appender = (OutputStreamAppender<?>) context.getLogger("ROOT").getAppender("STDOUT");
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) appender.getEncoder();
        LoggingEvent event = new LoggingEvent(EscapingTest.class.getName(), context.getLogger(EscapingTest.class),
                ch.qos.logback.classic.Level.INFO, "lock \"{}\" acquired", null, new Object[]{"acme/infra/x\n12:00:00.000 INFO forged - approved"});
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("x | 12:00:00.000 INFO forged"), line);
    }
}
