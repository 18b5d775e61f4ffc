package dev.gitops.engine;

import dev.gitops.engine.data.Json;
import dev.gitops.engine.tasks.LocalFunction;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Lambda task resources, a callback state machine and a callback function that the error-handling tests share. */
final class TaskFixtures {
    static final String INVOKE = "arn:aws:states:::lambda:invoke";
    static final String CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";

    private TaskFixtures() {
    }

    /** A single callback Task calling "park" with its token; {@code extra} adds fields (ending with a comma). */
    static String callbackMachine(String extra) {
        return """
                {"StartAt":"Wait","States":{
                  "Wait":{"Type":"Task","Resource":"%s",%s
                    "Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token"}},
                    "End":true}}}""".formatted(CALLBACK, extra);
    }

    /** Records the token it is given and answers {"parked":true}. */
    static LocalFunction parking(AtomicInteger calls, List<String> tokens) {
        return payload -> {
            calls.incrementAndGet();
            tokens.add(payload.get("token").asText());
            return Json.object().put("parked", true);
        };
    }
}
