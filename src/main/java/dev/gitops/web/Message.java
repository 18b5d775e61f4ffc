package dev.gitops.web;

/**
 * A page that says one thing: a refusal, a confirmation, something not found ({@code message.jte}).
 *
 * @param sentence what happened or what was wrong, as a sentence
 * @param back     a link to go on from, or null
 */
public record Message(Frame frame, String sentence, String back) {
}
