package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The intrinsic functions that compute numbers and random values: MathRandom, MathAdd and UUID. */
final class IntrinsicMath {
    private IntrinsicMath() {
    }

    static JsonNode random(IntrinsicArgs args) {
        int start = args.roundedInt(0);
        int end = args.roundedInt(1);
        if (start >= end) {
            throw args.failure("the start " + start + " must be less than the end " + end
                    + " (the start is inclusive, the end exclusive)");
        }
        Random random = args.size() == 3 ? new Random(args.rounded(2)) : ThreadLocalRandom.current();
        return Json.NODES.numberNode(random.nextInt(start, end));
    }

    static JsonNode add(IntrinsicArgs args) {
        long sum = (long) args.roundedInt(0) + args.roundedInt(1);
        return sum == (int) sum ? Json.NODES.numberNode((int) sum) : Json.NODES.numberNode(sum);
    }

    static JsonNode uuid(IntrinsicArgs args) {
        return Json.NODES.textNode(UUID.randomUUID().toString());
    }
}
