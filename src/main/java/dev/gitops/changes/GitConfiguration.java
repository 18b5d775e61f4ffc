package dev.gitops.changes;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code gitops.git.*}: where repositories are cloned from and cached. {@code url-template} (e.g.
 * {@code file:///srv/git/{owner}/{repo}.git}) replaces the payload's clone URL, for mirrors and local use;
 * {@code token} authenticates HTTPS fetches and is never written into a URL.
 */
@ConfigurationProperties("gitops.git")
public class GitConfiguration {
    private String urlTemplate;
    private String token;
    private String cacheDir = ".gitops/git";

    public String getUrlTemplate() {
        return urlTemplate;
    }

    public void setUrlTemplate(String urlTemplate) {
        this.urlTemplate = urlTemplate;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getCacheDir() {
        return cacheDir;
    }

    public void setCacheDir(String cacheDir) {
        this.cacheDir = cacheDir;
    }
}
