package dev.gitops.engine.api;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers AWS's own SDK signer (not the endpoint's verifier) puts on a Step Functions call: what a raw HTTP test
 * sends to look like the AWS CLI.
 */
final class SignedRequests {
    private SignedRequests() {
    }

    /** The signed headers of a POST of {@code body} to {@code uri} with the given key, as the SDK would send them. */
    static Map<String, String> headers(URI uri, String target, String body, String accessKey, String secret) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", target)
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secret))
                .request(request)
                .payload(ContentStreamProvider.fromString(body, StandardCharsets.UTF_8))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "states")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        Map<String, String> headers = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.put(name, String.join(",", values));
            }
        });
        return headers;
    }
}
