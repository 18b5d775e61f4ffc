package dev.gitops.engine.asl;

import java.util.List;

/** One element of a state's Catch field. */
public record Catcher(List<String> errorEquals, String next, ResultSpec resultPath) {
}
