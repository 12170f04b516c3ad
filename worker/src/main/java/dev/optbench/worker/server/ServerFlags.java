package dev.optbench.worker.server;

import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.flags.FlagRejectedException;
import dev.optbench.contracts.flags.FlagRule;
import dev.optbench.contracts.messages.Flag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a variant's flags into llama-server arguments for this worker's binary. Each flag is checked again
 * with the shared {@link FlagPolicy} (a job message is never trusted to carry only allowed flags), spelt the
 * way the binary lists it, and given a value in the form the binary wants: a bare {@code --flash-attn} for
 * a build whose help shows it without a value, {@code --flash-attn on} for one that takes {@code on|off|auto}.
 */
public final class ServerFlags {
    private final FlagPolicy policy;
    private final LlamaBinary binary;

    public ServerFlags(FlagPolicy policy, LlamaBinary binary) {
        this.policy = policy;
        this.binary = binary;
    }

    /**
     * @param modelPath resolves a model-valued flag (a draft model) to a file inside the models directory
     * @throws FlagRejectedException naming the flag, when the policy or this binary does not allow it
     */
    public List<String> arguments(List<Flag> flags, Function<String, Path> modelPath) {
        List<String> argv = new ArrayList<>();
        for (Flag given : flags) {
            Flag flag;
            try {
                flag = policy.normalise(given.name(), given.value());
            } catch (FlagRejectedException e) {
                throw new FlagRejectedException(given.name() + " " + e.getMessage());
            }
            FlagRule rule = policy.rule(flag.name());
            String spelling = rule.names().stream().filter(binary::accepts).findFirst()
                    .orElseThrow(() -> new FlagRejectedException(flag.name() + " is not accepted by this worker's llama-server ("
                            + binary.version() + ", commit " + binary.commit() + ")"));
            FlagSyntax syntax = binary.syntax(spelling);
            String value = rule.kind() == FlagRule.Kind.MODEL ? modelPath.apply(flag.value()).toString() : flag.value();
            if (value == null) {
                if (syntax.arity() == FlagSyntax.Arity.REQUIRED) {
                    throw new FlagRejectedException(flag.name() + " needs a value for this worker's llama-server");
                }
                argv.add(spelling);
            } else if (syntax.arity() == FlagSyntax.Arity.NONE) {
                if (rule.kind() != FlagRule.Kind.OPTIONAL_ENUM) {
                    throw new FlagRejectedException(flag.name() + " takes no value for this worker's llama-server");
                }
                // An older build's bare switch: "on" turns it on; "off" and "auto" are that build's default.
                if (value.equals(rule.defaultChoice())) {
                    argv.add(spelling);
                }
            } else {
                argv.add(spelling);
                argv.add(value);
            }
        }
        return List.copyOf(argv);
    }
}
