package org.bouncekit.classifier;

/**
 * An error in a rule file, with its place.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param file    the file's name as given
 * @param line    1-based line
 * @param column  1-based column
 * @param message what is wrong
 */
public record RuleProblem(String file, int line, int column, String message) {

    /** Returns {@code file:line:column: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
