package dev.gitops.function;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/** The controller's functions, by name: what {@code FunctionHandler} dispatches to in Lambda, and local mode registers. */
@Singleton
public class Functions {
    private final List<LambdaFunction> functions;

    public Functions(List<LambdaFunction> functions) {
        this.functions = List.copyOf(functions);
    }

    public List<LambdaFunction> all() {
        return functions;
    }

    public Optional<LambdaFunction> named(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
