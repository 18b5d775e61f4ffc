package dev.gitops.execution;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;

/**
 * What a plan build exports ({@code PLAN_RESULT}, see {@code infra-templates/buildspec.yml}): terraform plan's exit
 * code, whether there are changes, their summary, and where the saved plan is with the sha256 of the plan and of its
 * text ({@code <location>.txt}, what the approval page shows). Only counts and
 * addresses leave the build: {@code terraform show -json} holds secrets in clear.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanResult(Integer exitCode, Boolean changes, Summary summary, String location, String sha256,
                         String textSha256) {

    /**
     * Counts by action, and the first resource addresses of each action ({@code create}, {@code update},
     * {@code delete}, {@code replace}).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Summary(int add, int change, int destroy, Map<String, List<String>> addresses) {
        public static final Summary NONE = new Summary(0, 0, 0, Map.of());

        public Summary {
            addresses = addresses == null ? Map.of() : addresses;
        }

        /** {@code +a ~c -d}. */
        public String counts() {
            return "+" + add + " ~" + change + " -" + destroy;
        }
    }
}
