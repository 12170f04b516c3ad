package dev.optbench.worker.trial;

import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.TrialFinished;
import java.util.List;

/**
 * What a trial produced, ready to publish: its samples, then its summary.
 *
 * @param abandoned the worker stopped mid-trial: publish nothing and leave the job uncommitted, so another
 *                  worker redoes it
 */
public record TrialOutcome(List<Sample> samples, TrialFinished finished, boolean abandoned) {
}
