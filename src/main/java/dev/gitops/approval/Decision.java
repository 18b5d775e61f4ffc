package dev.gitops.approval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An approval as {@code WaitForApproval} receives it (SendTaskSuccess's output, kept at {@code $.decision} and in the
 * deployment record): {@code {"approved": true, "approver", "at"}}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Decision(boolean approved, String approver, String at) {
}
