package dev.optbench.viz.charts;

import dev.optbench.viz.runs.TrialView;
import java.awt.Color;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Colours per trial that stay the same in every chart of a run, whatever the filter: they are given out over
 * all of the run's trials in variant order before any filter applies. The reference baseline is always red, as
 * people draw it; the others take a colour-blind-safe palette, shaded on each further round through it.
 */
public final class VariantColours {
    public static final Color BASELINE = new Color(0xD6, 0x27, 0x28);
    // Further references (a second model's baseline, another run's baseline in a comparison) stay in the reds.
    private static final Color[] OTHER_BASELINES = {new Color(0x8B, 0x0A, 0x0A), new Color(0xF0, 0x6E, 0x6E),
            new Color(0x5C, 0x00, 0x00), new Color(0xC2, 0x41, 0x41)};
    private static final Color[] PALETTE = {new Color(0x1F, 0x77, 0xB4), new Color(0xFF, 0x7F, 0x0E),
            new Color(0x2C, 0xA0, 0x2C), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B),
            new Color(0xE3, 0x77, 0xC2), new Color(0x17, 0xBE, 0xCF), new Color(0xBC, 0xBD, 0x22),
            new Color(0x7F, 0x7F, 0x7F)};

    private final Map<UUID, Color> colours;
    private final Set<UUID> references;

    private VariantColours(Map<UUID, Color> colours, Set<UUID> references) {
        this.colours = colours;
        this.references = references;
    }

    /**
     * Colours for trials in their stored order (run, variant position, artifact position). A trial is a
     * reference when it is the baseline variant on the first artifact of its model in its run.
     */
    public static VariantColours assign(List<TrialView> trials) {
        Map<UUID, Color> colours = new LinkedHashMap<>();
        Set<UUID> references = new HashSet<>();
        Set<String> referencedModels = new HashSet<>();
        int others = 0;
        for (TrialView trial : trials) {
            if (trial.baseline() && referencedModels.add(trial.runId() + "/" + trial.modelRef())) {
                colours.put(trial.trialId(), baseline(references.size()));
                references.add(trial.trialId());
            } else {
                colours.put(trial.trialId(), variant(others++));
            }
        }
        return new VariantColours(colours, references);
    }

    public Color colour(UUID trialId) {
        return colours.get(trialId);
    }

    public boolean isReference(UUID trialId) {
        return references.contains(trialId);
    }

    public static Color baseline(int index) {
        return index == 0 ? BASELINE : OTHER_BASELINES[(index - 1) % OTHER_BASELINES.length];
    }

    public static Color variant(int index) {
        Color base = PALETTE[index % PALETTE.length];
        return switch ((index / PALETTE.length) % 4) {
            case 0 -> base;
            case 1 -> mix(base, Color.BLACK, 0.35);
            case 2 -> mix(base, Color.WHITE, 0.4);
            default -> mix(base, Color.BLACK, 0.6);
        };
    }

    private static Color mix(Color colour, Color with, double share) {
        return new Color(blend(colour.getRed(), with.getRed(), share), blend(colour.getGreen(), with.getGreen(), share),
                blend(colour.getBlue(), with.getBlue(), share));
    }

    private static int blend(int a, int b, double share) {
        return (int) Math.round(a * (1 - share) + b * share);
    }
}
