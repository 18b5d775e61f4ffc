package dev.gitops.function;

import io.micronaut.context.BeanContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The controller's functions, by name (each is a {@code @Named} bean): what {@code FunctionHandler} dispatches to in
 * Lambda, creating only the function named, and what local mode registers with its engine, all of them.
 */
@Singleton
public class Functions {
    private final BeanContext context;

    public Functions(BeanContext context) {
        this.context = context;
    }

    public Collection<LambdaFunction> all() {
        return context.getBeansOfType(LambdaFunction.class);
    }

    public Optional<LambdaFunction> named(String name) {
        return context.findBean(LambdaFunction.class, Qualifiers.byName(name));
    }

    /** The functions' names, without creating them. */
    public List<String> names() {
        return context.getBeanDefinitions(LambdaFunction.class).stream()
                .map(definition -> definition.stringValue(Named.class).orElse(definition.getBeanType().getSimpleName()))
                .sorted().toList();
    }
}
