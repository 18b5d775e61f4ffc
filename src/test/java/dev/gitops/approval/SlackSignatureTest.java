package dev.gitops.approval;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Slack's published signature example (api.slack.com, "Verifying requests from Slack"), at its own time. */
class SlackSignatureTest {
    private static final byte[] SECRET = "8f742231b10e8888abcd99yyyzzz85a5".getBytes(StandardCharsets.UTF_8);
    private static final String TIMESTAMP = "1531420618";
    private static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
            + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    @Test
    void slacksPublishedExamplePassesAtItsTime() {
        assertNull(SlackSignature.check(SECRET, TIMESTAMP, BODY, SIGNATURE, Instant.ofEpochSecond(1531420618L + 60)));
    }

    @Test
    void theSameRequestSixMinutesLaterIsAReplay() {
        assertNotNull(SlackSignature.check(SECRET, TIMESTAMP, BODY, SIGNATURE, Instant.ofEpochSecond(1531420618L + 360)));
    }

    @Test
    void aChangedBodyOrSecretFails() {
        Instant then = Instant.ofEpochSecond(1531420618L);
        assertNotNull(SlackSignature.check(SECRET, TIMESTAMP, "token=x".getBytes(StandardCharsets.UTF_8), SIGNATURE, then));
        assertNotNull(SlackSignature.check("other".getBytes(StandardCharsets.UTF_8), TIMESTAMP, BODY, SIGNATURE, then));
        assertNotNull(SlackSignature.check(SECRET, null, BODY, SIGNATURE, then));
    }
}
