package dev.optbench.worker.server;

import java.util.List;

/**
 * How one flag appears in {@code llama-server --help}: whether it takes a value, and the choices the help
 * lists for it ({@code [on|off|auto]}, {@code {none,linear,yarn}}), empty when it lists none.
 */
public record FlagSyntax(String name, Arity arity, List<String> choices) {

    public enum Arity { NONE, REQUIRED, OPTIONAL }
}
