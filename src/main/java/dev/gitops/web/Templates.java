package dev.gitops.web;

import io.micronaut.core.io.Writable;
import io.micronaut.views.ViewsConfiguration;
import io.micronaut.views.jte.HtmlJteViewsRenderer;
import io.micronaut.views.jte.JteViewsRendererConfiguration;

import java.util.Map;

/**
 * Micronaut Views' jte renderer over the templates compiled into the jar, created when the first page is rendered.
 * It is not a bean: in Lambda every singleton is created while the function starts (for SnapStart), and the pages
 * must cost the webhook's cold start nothing. Micronaut Views' own beans are switched off
 * ({@code micronaut.views.enabled: false}): its filter would otherwise wrap every response, the webhook's included.
 */
public final class Templates {
    private static volatile boolean created;

    private Templates() {
    }

    /** Created on first use (the holder idiom): the jte engine is made then, not before. */
    private static final class Holder {
        static final Renderer RENDERER = new Renderer();
    }

    /** micronaut-views-jte's HTML renderer, with the configuration the compiled templates need. */
    private static final class Renderer extends HtmlJteViewsRenderer<Map<String, Object>> {
        Renderer() {
            super(new ViewsConfiguration() {
                @Override
                public String getFolder() {
                    return "views";
                }

                @Override
                public boolean isEnabled() {
                    return true;
                }
            }, new JteViewsRendererConfiguration() {
                @Override
                public boolean isDynamic() {
                    return false; // compiled by jte-maven-plugin
                }

                @Override
                public String getDynamicPath() {
                    return "target/jte-classes";
                }

                @Override
                public String getDynamicSourcePath() {
                    return null;
                }

                @Override
                public boolean isBinaryStaticContent() {
                    return false;
                }
            });
            created = true;
        }
    }

    static Writable render(String template, Map<String, Object> model) {
        return Holder.RENDERER.render(template, model, null);
    }

    /** Whether the template engine exists yet (it should not before the first page). */
    public static boolean created() {
        return created;
    }
}
