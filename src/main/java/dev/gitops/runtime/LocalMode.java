package dev.gitops.runtime;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bean of local mode: the embedded engine, DynamoDB Local and what they need. Local mode is on outside Lambda
 * unless {@code gitops.local.enabled} is {@code false} (then the controller talks to AWS itself).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Requires(notEnv = {Environment.FUNCTION, "lambda"})
@Requires(property = "gitops.local.enabled", notEquals = "false")
public @interface LocalMode {
}
