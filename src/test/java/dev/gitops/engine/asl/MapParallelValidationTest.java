package dev.gitops.engine.asl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * How {@link DefinitionParser} validates Parallel branches and Map item processors: the states inside are checked as
 * the top level is, transitions resolve within their own state machine, and every problem is reported at once, with
 * the JSON pointer of where it is.
 */
class MapParallelValidationTest {
    private static final Function<TaskResource, String> ANY = resource -> null;

    private static List<Diagnostic> problems(String definition) {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> DefinitionParser.parse(definition, ANY));
        assertFalse(e.diagnostics().isEmpty());
        return e.diagnostics();
    }

    private static void find(List<Diagnostic> diagnostics, String code, String location, String... words) {
        for (Diagnostic d : diagnostics) {
            if (d.code().equals(code) && d.location().equals(location)
                    && List.of(words).stream().allMatch(d.message()::contains)) {
                return;
            }
        }
        fail("no " + code + " at " + location + " mentioning " + List.of(words) + " among:\n"
                + diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void problemsInsideBranchesAndItemProcessorsAreReportedAtOnceWithTheTopLevelOnes() {
        List<Diagnostic> d = problems("""
                {"StartAt":"Fan","States":{
                  "Fan":{"Type":"Parallel","Next":"Each","Branches":[
                    {"StartAt":"B1","States":{
                      "B1":{"Type":"Pass","Next":"Gone"},
                      "Lonely":{"Type":"Succeed"}}},
                    {"StartAt":"B2","States":{
                      "B2":{"Type":"Wait","Seconds":-1,"End":true,"Bogus":1}}}]},
                  "Each":{"Type":"Map","ItemsPath":"$.items[[","Next":"Missing","ItemProcessor":{
                    "StartAt":"Nowhere","States":{
                      "I1":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                            "Parameters":{"broken.$":"$.a[["}}}}}}}""");
        find(d, DefinitionParser.MISSING_TARGET, "/States/Fan/Branches/0/States/B1/Next", "Gone");
        find(d, DefinitionParser.UNREACHABLE, "/States/Fan/Branches/0/States/Lonely", "Lonely");
        find(d, DefinitionParser.SCHEMA, "/States/Fan/Branches/1/States/B2/Seconds", "Seconds");
        find(d, DefinitionParser.SCHEMA, "/States/Fan/Branches/1/States/B2/Bogus", "Bogus");
        find(d, DefinitionParser.SCHEMA, "/States/Each/ItemsPath", "ItemsPath");
        find(d, DefinitionParser.MISSING_TARGET, "/States/Each/Next", "Missing");
        find(d, DefinitionParser.MISSING_TARGET, "/States/Each/ItemProcessor/StartAt", "Nowhere");
        find(d, DefinitionParser.SCHEMA, "/States/Each/ItemProcessor/States/I1/Parameters/broken.$", "broken.$");
    }

    @Test
    void transitionsResolveWithinTheirOwnStateMachineNotAcrossIt() {
        List<Diagnostic> d = problems("""
                {"StartAt":"Fan","States":{
                  "Fan":{"Type":"Parallel","Next":"Inner","Branches":[
                    {"StartAt":"Inner","States":{"Inner":{"Type":"Pass","Next":"After"}}}]},
                  "After":{"Type":"Succeed"}}}""");
        find(d, DefinitionParser.MISSING_TARGET, "/States/Fan/Next", "Inner");
        find(d, DefinitionParser.MISSING_TARGET, "/States/Fan/Branches/0/States/Inner/Next", "After");
    }

    @Test
    void stateNamesMustBeUniqueAcrossBranchesAndItemProcessors() {
        List<Diagnostic> d = problems("""
                {"StartAt":"Fan","States":{
                  "Fan":{"Type":"Parallel","End":true,"Branches":[
                    {"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}},
                    {"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}}]}}}""");
        find(d, DefinitionParser.SCHEMA, "/States/Fan/Branches/1/States/Work", "unique", "/States/Fan/Branches/0/States/Work");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ItemReader | \"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"Parameters\":{}}, | /States/M/ItemReader | ItemReader",
            "ItemBatcher | \"ItemBatcher\":{\"MaxItemsPerBatch\":10}, | /States/M/ItemBatcher | ItemBatcher",
            "ResultWriter | \"ResultWriter\":{\"Resource\":\"arn:aws:states:::s3:putObject\",\"Parameters\":{}}, | /States/M/ResultWriter | ResultWriter",
            "Label | \"Label\":\"run\", | /States/M/Label | Label",
    })
    void distributedMapFieldsAreRefusedByName(String feature, String field, String location, String word) {
        List<Diagnostic> d = problems("""
                {"StartAt":"M","States":{"M":{"Type":"Map",%s"End":true,
                  "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}}}}""".formatted(field));
        find(d, DefinitionParser.UNSUPPORTED, location, word, "DISTRIBUTED");
    }

    @Test
    void distributedModeIsRefusedByName() {
        List<Diagnostic> d = problems("""
                {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{
                  "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                  "StartAt":"X","States":{"X":{"Type":"Succeed"}}}}}}""");
        find(d, DefinitionParser.UNSUPPORTED, "/States/M/ItemProcessor/ProcessorConfig/Mode", "DISTRIBUTED", "not supported");
    }

    @Test
    void mapFieldsThatExcludeEachOtherOrAreOutOfRangeAreReported() {
        List<Diagnostic> d = problems("""
                {"StartAt":"M","States":{"M":{"Type":"Map","End":true,
                  "ItemSelector":{"a.$":"$$.Map.Item.Value"},"Parameters":{"b":1},
                  "MaxConcurrency":-1,
                  "ToleratedFailureCount":1,"ToleratedFailureCountPath":"$.n",
                  "ToleratedFailurePercentage":101,
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"SIDEWAYS"},"StartAt":"X","States":{"X":{"Type":"Succeed"}}},
                  "Iterator":{"StartAt":"Y","States":{"Y":{"Type":"Succeed"}}}}}}""");
        find(d, DefinitionParser.SCHEMA, "/States/M", "ItemSelector", "Parameters");
        find(d, DefinitionParser.SCHEMA, "/States/M/MaxConcurrency", "non-negative");
        find(d, DefinitionParser.SCHEMA, "/States/M", "ToleratedFailureCount", "ToleratedFailureCountPath");
        find(d, DefinitionParser.SCHEMA, "/States/M/ToleratedFailurePercentage", "0 to 100");
        find(d, DefinitionParser.SCHEMA, "/States/M", "ItemProcessor", "Iterator");
    }

    @Test
    void aMapNeedsAnItemProcessorAndAParallelAtLeastOneBranch() {
        List<Diagnostic> d = problems("""
                {"StartAt":"M","States":{
                  "M":{"Type":"Map","Next":"P"},
                  "P":{"Type":"Parallel","Branches":[],"End":true}}}""");
        find(d, DefinitionParser.SCHEMA, "/States/M/ItemProcessor", "ItemProcessor");
        find(d, DefinitionParser.SCHEMA, "/States/P/Branches", "Branches");
    }

    @Test
    void aCatcherOfAMapStateLeadsToAStateOfTheMachineAroundIt() throws Exception {
        Definition definition = DefinitionParser.parse("""
                {"StartAt":"Each","States":{
                  "Each":{"Type":"Map","End":true,
                    "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],
                    "ItemProcessor":{"StartAt":"Item","States":{"Item":{"Type":"Pass","End":true}}}},
                  "Recover":{"Type":"Succeed"}}}""", ANY);
        State.Map map = (State.Map) definition.state("Each");
        assertEquals("Recover", map.catchers().get(0).next());
        assertEquals(Set.of("Item"), map.processor().states().keySet());
    }

    @Test
    void validMapAndParallelStatesParseWithTheirFields() throws Exception {
        Definition definition = DefinitionParser.parse("""
                {"StartAt":"Fan","States":{
                  "Fan":{"Type":"Parallel","Next":"Legacy","Parameters":{"x.$":"$.x"},"ResultSelector":{"first.$":"$[0]"},
                    "ResultPath":"$.fan","Retry":[{"ErrorEquals":["States.ALL"]}],
                    "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                                {"Comment":"two","StartAt":"B","States":{"B":{"Type":"Succeed"}}}]},
                  "Legacy":{"Type":"Map","Next":"Each","ItemsPath":"$.items","MaxConcurrency":2,
                    "Parameters":{"v.$":"$$.Map.Item.Value"},
                    "Iterator":{"StartAt":"L","States":{"L":{"Type":"Pass","End":true}}}},
                  "Each":{"Type":"Map","End":true,"MaxConcurrencyPath":"$.max",
                    "ItemSelector":{"i.$":"$$.Map.Item.Index"},"ToleratedFailurePercentage":12.5,
                    "ToleratedFailureCountPath":"$.count",
                    "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"E","States":{"E":{"Type":"Pass","End":true}}}}}}""",
                ANY);
        State.Parallel fan = (State.Parallel) definition.state("Fan");
        assertEquals(2, fan.branches().size());
        assertEquals("B", fan.branches().get(1).startAt());
        assertEquals(1, fan.retry().size());
        assertEquals("Legacy", fan.next());
        State.Map legacy = (State.Map) definition.state("Legacy");
        assertEquals("$.items", legacy.itemsPath());
        assertEquals(2, legacy.maxConcurrency());
        assertTrue(legacy.itemSelector().has("v.$"), "the legacy Parameters act as ItemSelector");
        assertTrue(legacy.tolerance().none());
        assertEquals("L", legacy.processor().startAt());
        State.Map each = (State.Map) definition.state("Each");
        assertEquals("$.max", each.maxConcurrencyPath());
        assertEquals(new State.Map.Tolerance(null, "$.count", 12.5, null), each.tolerance());
        assertEquals(Set.of("Fan", "Legacy", "Each"), definition.states().keySet(), "inner states stay in their machine");
    }
}
