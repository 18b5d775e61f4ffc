package dev.gitops.runtime;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bean for AWS Lambda ({@code LambdaHandler}, {@code FunctionHandler}), where the process is frozen as soon as the
 * handler returns: nothing may be left running on another thread.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Requires(env = Environment.FUNCTION)
public @interface InLambda {
}
