package dev.gitops.engine.api;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS Signature Version 4, verified as AWS verifies it, for one service ({@code states}) and a set of access keys:
 * the canonical request rebuilt from what arrived (method, path, query, the signed headers, the body's SHA-256), the
 * string to sign with the credential scope, the signing key derived from the secret, and a constant-time comparison.
 * Refusals carry AWS's error types: {@code MissingAuthenticationTokenException},
 * {@code IncompleteSignatureException}, {@code UnrecognizedClientException}, {@code InvalidSignatureException}.
 */
public final class SigV4 {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    /** AWS refuses a signature more than 15 minutes away from its own clock. */
    static final Duration SKEW = Duration.ofMinutes(15);

    /** Why a request is refused, as AWS says it. */
    public record Refusal(int status, String code, String message) {
    }

    private final String service;
    private final Map<String, String> secrets;
    private final Clock clock;

    /** @param secrets secret access key by access key id */
    public SigV4(String service, Map<String, String> secrets, Clock clock) {
        this.service = service;
        this.secrets = Map.copyOf(secrets);
        this.clock = clock;
    }

    /**
     * Null when the request is signed by one of the keys; else the refusal.
     *
     * @param headers the request's headers by lower-case name, each with its values in order
     */
    public Refusal check(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        String authorization = first(headers, "authorization");
        if (authorization == null || authorization.isBlank()) {
            return new Refusal(403, "MissingAuthenticationTokenException", "Missing Authentication Token: sign requests"
                    + " with AWS Signature Version 4 (the AWS CLI or an SDK with the local credentials does)");
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            return incomplete("the Authorization header must start with " + ALGORITHM);
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            return incomplete("the Authorization header needs Credential, SignedHeaders and Signature");
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            return incomplete("Credential must be <access key>/<date>/<region>/<service>/aws4_request");
        }
        String secret = secrets.get(scope[0]);
        if (secret == null) {
            return new Refusal(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!service.equals(scope[3])) {
            return invalid("Credential should be scoped to correct service: '" + service + "'.");
        }
        String amzDate = first(headers, "x-amz-date");
        if (amzDate == null) {
            return incomplete("the request needs an X-Amz-Date header");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return incomplete("X-Amz-Date '" + amzDate + "' is not of the form yyyyMMddTHHmmssZ");
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(SKEW) > 0) {
            return invalid("Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(clock.instant()
                    .minus(SKEW).atOffset(ZoneOffset.UTC)) + " or later than " + AMZ_DATE.format(clock.instant().plus(SKEW)
                    .atOffset(ZoneOffset.UTC)) + ".");
        }
        if (!amzDate.startsWith(scope[1])) {
            return invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.");
        }
        List<String> signed = List.of(signedHeaders.split(";"));
        if (!signed.contains("host") || !signed.contains("x-amz-date")) {
            return incomplete("SignedHeaders must include host and x-amz-date");
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signed) {
            List<String> values = headers.get(name);
            if (values == null) {
                return incomplete("the signed header '" + name + "' is not in the request");
            }
            List<String> trimmed = new ArrayList<>();
            values.forEach(v -> trimmed.add(v.trim().replaceAll("\\s+", " ")));
            canonicalHeaders.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        String canonicalRequest = method + "\n" + canonicalUri(rawPath) + "\n" + canonicalQuery(rawQuery) + "\n"
                + canonicalHeaders + "\n" + signedHeaders + "\n" + hex(sha256(body));
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + String.join("/", scope[1], scope[2], scope[3], scope[4])
                + "\n" + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(hmac(hmac(key, scope[2]), scope[3]), "aws4_request");
        String expected = hex(hmac(key, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            return invalid("The request signature we calculated does not match the signature you provided. Check your"
                    + " AWS Secret Access Key and signing method.");
        }
        return null;
    }

    private static Refusal incomplete(String message) {
        return new Refusal(400, "IncompleteSignatureException", message);
    }

    private static Refusal invalid(String message) {
        return new Refusal(403, "InvalidSignatureException", message);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Each segment of the (already encoded) path encoded once more, as SigV4 wants it for every service but S3. */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(encode(segments[i]));
        }
        return out.toString();
    }

    /** Parameters sorted by name then value, each name and value encoded per RFC 3986. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            sorted.computeIfAbsent(encode(name), k -> new ArrayList<>()).add(encode(value));
        }
        List<String> out = new ArrayList<>();
        sorted.forEach((name, values) -> values.stream().sorted().forEach(v -> out.add(name + "=" + v)));
        return String.join("&", out);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** RFC 3986 unreserved characters stay; every other byte becomes %XX. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
