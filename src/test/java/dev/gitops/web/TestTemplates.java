package dev.gitops.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

import java.util.Map;

/** The pages' compiled templates rendered without an application context, for tests of what a page shows. */
public final class TestTemplates {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    private TestTemplates() {
    }

    /** {@code template} (its path under src/main/jte, without .jte) with {@code page}, as {@link Pages} renders it. */
    public static String render(String template, Object page) {
        StringOutput out = new StringOutput();
        ENGINE.render(template + ".jte", Map.of("page", page), out);
        return out.toString();
    }
}
