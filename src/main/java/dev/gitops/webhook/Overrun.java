package dev.gitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What becomes of a delivery whose work outlasts {@code gitops.webhook.sync-budget}: it is answered {@code accepted}
 * and finished afterwards. On a server of its own the work simply goes on ({@link GoesOn}); in Lambda, which freezes
 * the process once it answers, the delivery is first handed off durably ({@link HandOff}).
 */
interface Overrun {
    /** The answer to give now; the work must still finish afterwards. */
    Answer overran(HandedOff delivery);

    /** Whether the work goes on in this process; if not, once handed off, what is left of it here is dropped. */
    boolean goesOnHere();

    /** A delivery as it is handed off: its event, id and verified payload. */
    record HandedOff(String event, String delivery, JsonNode payload) {
    }
}
