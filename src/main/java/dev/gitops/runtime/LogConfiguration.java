package dev.gitops.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Map;

/**
 * The controller's logging, set up in code (logback finds it through {@code META-INF/services}) rather than read from a
 * {@code logback.xml}: no XML parser and configuration model to load, a few hundred classes fewer at a Lambda cold
 * start. One line per event on standard output; values from pushes (paths, branch names, commit messages) may hold
 * line breaks, so a message's breaks become {@code " | "} and one log line stays one line. A file named by
 * {@code -Dlogback.configurationFile} still takes over.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public class LogConfiguration extends ContextAwareBase implements Configurator {
    /** The line format; the appender is named {@code STDOUT}. */
    public static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %replace(%msg){'[\\r\\n\\u2028\\u2029]+', ' | '}%n";

    /** Libraries that say too much at INFO. */
    private static final Map<String, Level> QUIETER = Map.of("com.jayway.jsonpath", Level.WARN, "org.eclipse.jetty", Level.WARN,
            "com.amazonaws.services.dynamodbv2.local", Level.WARN, "software.amazon.awssdk", Level.WARN, "io.netty", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDOUT");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
