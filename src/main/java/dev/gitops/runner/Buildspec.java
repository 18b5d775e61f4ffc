package dev.gitops.runner;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a CodeBuild buildspec (version 0.2) the local runner executes: {@code env.variables},
 * {@code env.exported-variables}, and the phases {@code install}, {@code pre_build}, {@code build}, {@code post_build}
 * with their {@code commands}, {@code on-failure} and {@code finally}. Other keys ({@code artifacts}, {@code reports},
 * {@code runtime-versions}, ...) are accepted and ignored.
 */
record Buildspec(Map<String, String> variables, List<String> exported, List<Phase> phases) {
    static final List<String> PHASES = List.of("install", "pre_build", "build", "post_build");

    /** One phase; {@code continueOnFailure} is {@code on-failure: CONTINUE}. */
    record Phase(String name, List<String> commands, List<String> finallyCommands, boolean continueOnFailure) {
        String type() {
            return name.toUpperCase(Locale.ROOT);
        }
    }

    @SuppressWarnings("unchecked")
    static Buildspec parse(String text) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the buildspec is not a YAML mapping");
        }
        Object version = map.get("version");
        if (version == null || !"0.2".equals(version.toString())) {
            throw new IllegalArgumentException("the buildspec must say version: 0.2 (it says " + version + ")");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        List<String> exported = new ArrayList<>();
        if (map.get("env") instanceof Map<?, ?> env) {
            if (env.get("variables") instanceof Map<?, ?> vars) {
                vars.forEach((k, v) -> variables.put(k.toString(), v == null ? "" : v.toString()));
            }
            if (env.get("exported-variables") instanceof List<?> names) {
                names.forEach(n -> exported.add(n.toString()));
            }
        }
        List<Phase> phases = new ArrayList<>();
        Map<String, Object> declared = map.get("phases") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        for (String key : declared.keySet()) {
            if (!PHASES.contains(key)) {
                throw new IllegalArgumentException("unknown buildspec phase '" + key + "' (phases: " + PHASES + ")");
            }
        }
        for (String name : PHASES) {
            if (declared.get(name) instanceof Map<?, ?> phase) {
                phases.add(new Phase(name, strings(phase.get("commands")), strings(phase.get("finally")),
                        "CONTINUE".equals(String.valueOf(phase.get("on-failure")))));
            }
        }
        return new Buildspec(variables, exported, phases);
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item)));
        }
        return out;
    }

    /**
     * The bash script that runs the phases as CodeBuild does: each command in a shell of its own, which inherits the
     * plain variables and the working directory the previous command left (not bash arrays, not functions: CodeBuild
     * does not carry those either, so a buildspec that relies on them fails here as it would there). A failing command
     * ends its phase; {@code post_build} runs after {@code build} whatever became of it; a failure in {@code install}
     * or {@code pre_build} ends the build. Each command's text is written to a file of its own in {@code dir}.
     * The script writes one line per phase to the file in {@code $1} and the exported variables to {@code $2}.
     */
    String script(Path dir) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("__gitops_status=\"$1\"\n__gitops_exports=\"$2\"\nshift 2\n");
        // the runner's own files are its alone (a build's terraform may run as another user and must not read them), and
        // their names reach commands as shell variables only, never as environment variables
        s.append("umask 077\n");
        s.append("__gitops_state_file=").append(quote(dir.resolve("state").toString()))
                .append("\n__gitops_cwd_file=").append(quote(dir.resolve("cwd").toString())).append('\n');
        s.append(": > \"$__gitops_state_file\"\npwd > \"$__gitops_cwd_file\"\n");
        s.append("""
                __gitops_command() {
                  bash -c '
                    __gitops_file=$1 __gitops_state=$2 __gitops_cwd=$3
                    set --
                    . "$__gitops_state"
                    cd "$(cat "$__gitops_cwd")" || exit 1
                    . "$__gitops_file"
                    __rc=$?
                    declare -p | grep -Ev "^declare -[^ ]*[aAr]" \\
                      | grep -Ev "^declare -[^ ]* (BASH[A-Z_0-9]*|EUID|PPID|UID|SHELLOPTS|BASHOPTS|GROUPS|FUNCNAME|PIPESTATUS|_|__rc|__gitops_file|__gitops_state|__gitops_cwd|OLDPWD|PWD|SHLVL|RANDOM|SRANDOM|SECONDS|LINENO|HISTCMD|EPOCHSECONDS|EPOCHREALTIME|COMP_WORDBREAKS|DIRSTACK|HOSTNAME|HOSTTYPE|MACHTYPE|OSTYPE|IFS|OPTERR|OPTIND|PS4)=" \\
                      > "$__gitops_state.next" && mv "$__gitops_state.next" "$__gitops_state"
                    pwd > "$__gitops_cwd"
                    exit $__rc
                  ' gitops "$1" "$__gitops_state_file" "$__gitops_cwd_file"
                }
                """);
        s.append("__gitops_export() {\n  . \"$__gitops_state_file\"\n  : > \"$__gitops_exports\"\n");
        for (String name : exported) {
            s.append("  printf '%s\\0%s\\0' ").append(quote(name)).append(" \"${").append(name).append(":-}\" >> \"$__gitops_exports\"\n");
        }
        s.append("}\ntrap __gitops_export EXIT\n");
        int n = 0;
        for (Phase phase : phases) {
            s.append("__gitops_phase_").append(phase.name()).append("() {\n");
            for (String command : phase.commands()) {
                Path file = dir.resolve("command-" + (++n) + ".sh");
                Files.writeString(file, command + "\n");
                s.append("  echo ").append(quote("[Container] Running command " + firstLine(command))).append('\n');
                s.append("  __gitops_command ").append(quote(file.toString())).append(" || { __rc=$?; echo ")
                        .append(quote("[Container] Command did not exit successfully " + firstLine(command)))
                        .append("\" exit status $__rc\"; return $__rc; }\n");
            }
            s.append("  return 0\n}\n");
            s.append("__gitops_finally_").append(phase.name()).append("() {\n");
            for (String command : phase.finallyCommands()) {
                Path file = dir.resolve("command-" + (++n) + ".sh");
                Files.writeString(file, command + "\n");
                s.append("  __gitops_command ").append(quote(file.toString())).append(" || return $?\n");
            }
            s.append("  return 0\n}\n");
        }
        s.append("""
                __gitops_run() {
                  local name=$1 type=$2
                  echo "[Container] $(date -u +%Y/%m/%d\\ %H:%M:%S) Entering phase $type"
                  local start=$(date +%s%3N)
                  "__gitops_phase_$name"; local rc=$?
                  "__gitops_finally_$name" || rc=$?
                  local status=SUCCEEDED; [ $rc -eq 0 ] || status=FAILED
                  echo "[Container] $(date -u +%Y/%m/%d\\ %H:%M:%S) Phase complete: $type State: $status"
                  printf '%s %s %s\\n' "$type" "$status" "$(( $(date +%s%3N) - start ))" >> "$__gitops_status"
                  return $rc
                }
                __gitops_ok=1
                """);
        for (Phase phase : phases) {
            String run = "__gitops_run " + phase.name() + " " + phase.type();
            String onFailure = phase.continueOnFailure() ? "true" : "__gitops_ok=0";
            if (phase.name().equals("post_build")) {
                // runs after build, whatever became of it; not after a failed install or pre_build
                s.append("if [ \"${__gitops_built:-0}\" = 1 ] || [ $__gitops_ok = 1 ]; then ").append(run)
                        .append(" || __gitops_ok=0; fi\n");
            } else {
                s.append("if [ $__gitops_ok = 1 ]; then ");
                if (phase.name().equals("build")) {
                    s.append("__gitops_built=1; ");
                }
                s.append(run).append(" || ").append(onFailure).append("; fi\n");
            }
        }
        s.append("[ $__gitops_ok = 1 ]\n");
        return s.toString();
    }

    private static String firstLine(String command) {
        String line = command.strip().lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }

    /** Single-quotes a text for bash. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
