package dev.gitops.engine.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Choice rule (a comparison, or And / Or / Not of rules). Evaluating a rule whose Variable (or ...Path operand)
 * does not resolve fails with States.Runtime, except IsPresent, which is what it tests.
 */
public interface ChoiceRule {
    boolean evaluate(JsonNode input, JsonNode context);
}
