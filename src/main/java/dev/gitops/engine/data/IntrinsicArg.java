package dev.gitops.engine.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** An argument of an intrinsic function call as {@link IntrinsicParser} reads it; a whole call is a {@link Call}. */
sealed interface IntrinsicArg {

    record Literal(JsonNode value) implements IntrinsicArg {
    }

    /** A quoted string; {@code pieces} is its text split at the unescaped {@code {}} placeholders States.Format fills. */
    record Text(String value, List<String> pieces) implements IntrinsicArg {
    }

    record PathArg(String path) implements IntrinsicArg {
    }

    record Call(IntrinsicFunction function, List<IntrinsicArg> args) implements IntrinsicArg {
    }
}
