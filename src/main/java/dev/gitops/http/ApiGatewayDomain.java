package dev.gitops.http;

import jakarta.inject.Singleton;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address API Gateway passes requests on from, as it reports it in each event's request context (its
 * {@code domainName}, and a REST API's stage): the controller's public URL in AWS when {@code gitops.public-url} is
 * not set. The SAM template cannot give the webhook function its own API's URL (the API refers to the function), so
 * the function learns it from its first request. API Gateway sets the request context; a client cannot.
 */
@Singleton
public class ApiGatewayDomain {
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9.-]{1,253}");
    private static final Pattern STAGE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private volatile String url;

    /**
     * @param domainName the request context's {@code domainName}
     * @param stage      a REST API's stage, which its default URL carries; null or {@code $default} for an HTTP API
     */
    public void learn(String domainName, String stage) {
        if (domainName == null || !DOMAIN.matcher(domainName.toLowerCase(Locale.ROOT)).matches()) {
            return;
        }
        boolean pathStage = stage != null && !"$default".equals(stage) && STAGE.matcher(stage).matches()
                && domainName.contains(".execute-api.");
        url = "https://" + domainName.toLowerCase(Locale.ROOT) + (pathStage ? "/" + stage : "");
    }

    /** The API's base URL, once a request told it. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }
}
