package dev.optbench.contracts.spec;

import java.util.List;

/**
 * One submitted experiment: models × variants (the baseline, the listed ones and a sweep's product) × workload.
 * This is the body of {@code POST /api/runs}; the orchestrator validates it before anything is stored.
 */
public record RunSpec(
        String name,
        String pool,
        List<ModelSpec> models,
        VariantSpec baseline,
        List<VariantSpec> variants,
        SweepSpec sweep,
        WorkloadSpec workload,
        QualitySpec quality) {
}
