package dev.gitops.engine;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefinitionSubstitutionsTest {
    private static final String DEFINITION = """
            {"StartAt":"Lock","States":{"Lock":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
              "Parameters":{"TableName":"${LocksTable}","Item":{"n":{"N":"1"}}},"TimeoutSeconds":${BuildTimeout},"End":true}}}""";

    @Test
    void placeholdersAreFilledAsSamFillsThemInsideStringsAndAsBareLiterals() {
        String filled = DefinitionSubstitutions.apply(DEFINITION, Map.of("LocksTable", "gitops-locks", "BuildTimeout", "3600"));
        assertTrue(filled.contains("\"TableName\":\"gitops-locks\""), filled);
        assertTrue(filled.contains("\"TimeoutSeconds\":3600"), filled);
    }

    @Test
    void everyPlaceholderWithoutAValueIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefinitionSubstitutions.apply(DEFINITION, Map.of()));
        assertEquals("the definition uses placeholder(s) with no value: ${BuildTimeout}, ${LocksTable}", e.getMessage());
    }

    @Test
    void valuesAreInsertedLiterallyEvenWithDollarsAndBackslashes() {
        assertEquals("{\"a\":\"x$1\\\\y\"}", DefinitionSubstitutions.apply("{\"a\":\"${A}\"}", Map.of("A", "x$1\\\\y")));
        assertEquals(Set.of("BuildTimeout", "LocksTable"), DefinitionSubstitutions.names(DEFINITION));
    }
}
