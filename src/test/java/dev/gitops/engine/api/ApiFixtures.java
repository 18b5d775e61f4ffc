package dev.gitops.engine.api;

import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.sfn.model.SfnException;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the API acceptance tests share: the ARN prefix and start time of the test engine, a few state machines, and the
 * check that a refusal carries AWS's error code, HTTP 400 and a message naming the problem.
 */
final class ApiFixtures {
    static final String PREFIX = "arn:aws:states:us-east-1:123456789012:";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Waits an hour, then succeeds: stays RUNNING until the test advances time. */
    static final String WAIT_HOUR = """
            {"StartAt":"Hold","States":{
              "Hold":{"Type":"Wait","Seconds":3600,"Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    static final String PASS = """
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.a","Next":"B"},
              "B":{"Type":"Succeed"}}}""";

    /** {"fail":..} fails, {"wait":..} waits an hour, anything else succeeds at once. */
    static final String ROUTE = """
            {"StartAt":"Route","States":{
              "Route":{"Type":"Choice","Choices":[
                {"Variable":"$.fail","IsPresent":true,"Next":"Boom"},
                {"Variable":"$.wait","IsPresent":true,"Next":"Hold"}],"Default":"Done"},
              "Boom":{"Type":"Fail","Error":"Custom.Broken","Cause":"it broke"},
              "Hold":{"Type":"Wait","Seconds":3600,"Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    private ApiFixtures() {
    }

    /** Asserts the call is refused with this exception, HTTP 400 and a message containing each of {@code words}. */
    static <T extends SfnException> T refused(Class<T> type, Executable call, String... words) {
        return refusedAs("", type, call, words);
    }

    /** As {@link #refused}, with a label naming the case in the failure message. */
    static <T extends SfnException> T refusedAs(String label, Class<T> type, Executable call, String... words) {
        T e = assertThrows(type, call, label);
        assertEquals(400, e.statusCode(), label + ": " + e);
        String message = e.awsErrorDetails().errorMessage();
        assertNotNull(message, "no message in " + e);
        for (String word : words) {
            assertTrue(message.contains(word), "message '" + message + "' does not name '" + word + "'");
        }
        return e;
    }
}
