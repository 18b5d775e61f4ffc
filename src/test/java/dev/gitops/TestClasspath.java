package dev.gitops;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/** The classpath a test hands to a child JVM it starts. */
public final class TestClasspath {
    private TestClasspath() {
    }

    /** Maven's (java.class.path) plus, under a launcher with its own class loader (JUnit's console), that loader's. */
    public static String of(Class<?> anchor) {
        StringBuilder path = new StringBuilder(System.getProperty("java.class.path"));
        if (anchor.getClassLoader() instanceof URLClassLoader loader) {
            for (URL url : loader.getURLs()) {
                try {
                    path.append(File.pathSeparator).append(Path.of(url.toURI()));
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return path.toString();
    }
}
