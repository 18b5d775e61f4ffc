package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/** The intrinsic functions that encode a string's UTF-8 bytes: Base64Encode, Base64Decode and Hash. */
final class IntrinsicEncodings {
    private static final List<String> HASH_ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

    private IntrinsicEncodings() {
    }

    static JsonNode base64Encode(IntrinsicArgs args) {
        String text = args.limitedText(0);
        return Json.NODES.textNode(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode base64Decode(IntrinsicArgs args) {
        String text = args.limitedText(0);
        try {
            byte[] bytes = Base64.getDecoder().decode(text.replace("\r", "").replace("\n", ""));
            return Json.NODES.textNode(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw args.failure("the argument is not valid Base64: " + e.getMessage());
        }
    }

    static JsonNode hash(IntrinsicArgs args) {
        String text = args.limitedText(0);
        String algorithm = args.text(1);
        if (!HASH_ALGORITHMS.contains(algorithm)) {
            throw args.failure("'" + algorithm + "' is not a supported algorithm; use one of "
                    + String.join(", ", HASH_ALGORITHMS));
        }
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(digest.length * 2);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return Json.NODES.textNode(hex.toString());
        } catch (NoSuchAlgorithmException e) {
            throw args.failure("the algorithm " + algorithm + " is not available in this Java runtime");
        }
    }
}
