package dev.optbench.contracts.messages;

import java.util.List;
import java.util.UUID;

/**
 * A validated variant: its flags in the order the user wrote them.
 */
public record Variant(UUID variantId, String name, boolean baseline, List<Flag> flags) {
}
