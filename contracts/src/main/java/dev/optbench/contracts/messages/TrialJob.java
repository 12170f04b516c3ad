package dev.optbench.contracts.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * One trial for a worker of {@code pool}: one variant on one model artifact, one llama-server start.
 * Published on {@code bench.jobs.<pool>}, keyed by trial id.
 *
 * @param perplexityCorpus the corpus text's name for llama-perplexity, or null when the run asks for none
 * @param trialIndex       this trial's place among its run's trials, from 0, in the order the orchestrator
 *                         dispatches them (artifact by artifact, each artifact's variants in order); null from an
 *                         orchestrator that predates it
 * @param trialCount       how many trials the run has; null with {@code trialIndex}
 */
public record TrialJob(
        int schemaVersion,
        UUID runId,
        UUID trialId,
        String runName,
        String pool,
        ArtifactSpec artifact,
        ArtifactSpec baselineArtifact,
        Variant variant,
        Workload workload,
        String perplexityCorpus,
        Instant createdAt,
        Integer trialIndex,
        Integer trialCount) {
}
