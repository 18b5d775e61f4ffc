package dev.gitops.console;

import dev.gitops.web.Frame;

/**
 * A page of text ({@code console/text.jte}): a build's log or a plan's text, shown as it is (escaped), with a note
 * saying what is shown of it.
 */
public record TextPage(Frame frame, String note, String text, String back) {
}
