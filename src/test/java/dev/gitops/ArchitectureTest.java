package dev.gitops;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shape of the code, checked on the compiled classes (imports and fully-qualified names alike): packages without
 * cycles, entry points nobody depends on, the engine apart from the product, and no source file too long to read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchitectureTest {
    /** No source file, main or test, may grow past this many lines. */
    static final int MAX_LINES = 700;

    /** Text blocks, strings, characters and comments: what names no type. */
    private static final Pattern NOT_CODE = Pattern.compile(
            "\"\"\"(?s:.*?)\"\"\"|\"(?:\\\\.|[^\"\\\\\n])*\"|'(?:\\\\.|[^'\\\\\n])*'|/\\*(?s:.*?)\\*/|//[^\n]*");
    private static final Pattern PACKAGE = Pattern.compile("package\\s+([a-z.]+);");
    private static final Pattern PRODUCT_TYPE = Pattern.compile("\\b(dev\\.gitops(?:\\.[a-z][a-z0-9]*)*)\\.(?:[A-Z]|\\*)");

    private JavaClasses classes;

    @BeforeAll
    void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.gitops");
    }

    @Test
    void noTwoPackagesDependOnEachOtherEvenThroughOthers() {
        slices().matching("dev.gitops.(**)").should().beFreeOfCycles().check(classes);
    }

    /**
     * The same over the sources, where a constant's use leaves no trace in the bytecode (the compiler copies it):
     * every package a file names, by import or by a fully-qualified name in its code.
     */
    @Test
    void noTwoPackagesNameEachOtherInTheirSourcesEvenThroughOthers() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = NOT_CODE.matcher(Files.readString(file)).replaceAll(" ");
                Matcher declared = PACKAGE.matcher(code);
                String own = declared.find() ? declared.group(1) : "";
                Matcher named = PRODUCT_TYPE.matcher(code);
                while (named.find()) {
                    if (!named.group(1).equals(own) && !named.group(0).startsWith("package ")) {
                        uses.computeIfAbsent(own, k -> new TreeSet<>()).add(named.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), cycles(uses), "packages that name each other (through the others listed)");
    }

    /** Each cycle once, as the path of packages around it. */
    private static List<String> cycles(Map<String, Set<String>> uses) {
        List<String> found = new ArrayList<>();
        for (String start : uses.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>(List.of(List.of(start)));
            Set<String> seen = new HashSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.pop();
                for (String next : uses.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        List<String> cycle = new ArrayList<>(path);
                        cycle.add(start);
                        if (start.equals(cycle.stream().min(String::compareTo).orElseThrow())) {
                            found.add(String.join(" -> ", cycle));
                        }
                    } else if (next.compareTo(start) > 0 && seen.add(next)) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        paths.add(longer);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void theEntryPointsInTheRootPackageAreUsedByNoOtherPackage() {
        noClasses().that().resideOutsideOfPackage("dev.gitops")
                .should().dependOnClassesThat().resideInAPackage("dev.gitops")
                .check(classes);
    }

    @Test
    void theEngineImportsNothingFromTheProduct() {
        noClasses().that().resideInAPackage("dev.gitops.engine..")
                .should().dependOnClassesThat(resideInAPackage("dev.gitops..").and(resideOutsideOfPackage("dev.gitops.engine..")))
                .check(classes);
    }

    /** Local mode's packages may use the engine; nothing else may reach it, not even through them. */
    @Test
    void codeThatRunsInAwsReachesNothingOfTheEngineEvenThroughOthers() {
        noClasses().that().resideOutsideOfPackages("dev.gitops.engine..", "dev.gitops.local..", "dev.gitops.runner..")
                .should().transitivelyDependOnClassesThat().resideInAPackage("dev.gitops.engine..")
                .check(classes);
    }

    /** The Lambda artifact leaves local mode's packages out (src/assembly/lambda.xml): nothing else may need them. */
    @Test
    void codeThatRunsInAwsReachesNothingOfLocalModeEvenThroughOthers() {
        // Application is the local entry point: Lambda starts LambdaHandler and FunctionHandler, never it
        noClasses().that().resideOutsideOfPackages("dev.gitops.engine..", "dev.gitops.local..", "dev.gitops.runner..")
                .and().doNotHaveFullyQualifiedName(Application.class.getName())
                .should().transitivelyDependOnClassesThat().resideInAnyPackage("dev.gitops.local..", "dev.gitops.runner..")
                .check(classes);
    }

    @Test
    void noSourceFileIsLongerThanSevenHundredLines() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            tooLong = files.filter(f -> f.toString().endsWith(".java")).filter(f -> lines(f) > MAX_LINES)
                    .map(f -> f + " (" + lines(f) + " lines)").sorted().toList();
        }
        assertEquals(List.of(), tooLong, "split these by what each part does");
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
