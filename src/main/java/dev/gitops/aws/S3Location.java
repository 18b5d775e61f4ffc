package dev.gitops.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A place in S3 given as a setting, {@code s3://bucket/prefix}: a bucket and a key prefix (without slashes at its ends). */
public record S3Location(String bucket, String prefix) {
    private static final Pattern URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(.*))?");

    /** @throws IllegalArgumentException when {@code uri} is not {@code s3://bucket[/prefix]} */
    public static S3Location parse(String uri) {
        Matcher m = URI.matcher(uri == null ? "" : uri.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + uri + "' is not an S3 location such as s3://my-bucket/prefix");
        }
        String prefix = m.group(2) == null ? "" : m.group(2).replaceAll("^/+|/+$", "");
        return new S3Location(m.group(1), prefix);
    }

    /** The key of {@code name} under the prefix. */
    public String key(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
