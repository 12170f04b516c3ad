package dev.optbench.orchestrator.searches;

import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.contracts.spec.ModelSpec;
import dev.optbench.contracts.spec.PerplexitySpec;
import dev.optbench.contracts.spec.QualitySpec;
import dev.optbench.contracts.spec.RunSpec;
import dev.optbench.contracts.spec.VariantSpec;
import dev.optbench.contracts.spec.WorkloadSpec;
import dev.optbench.orchestrator.runs.RunService;
import dev.optbench.orchestrator.runs.spec.FieldErrors;
import dev.optbench.orchestrator.runs.spec.PlannedRun;
import dev.optbench.orchestrator.runs.spec.RunSpecValidator;
import dev.optbench.orchestrator.searches.SearchState.RoundRun;
import dev.optbench.orchestrator.searches.spec.PlannedSearch;
import dev.optbench.orchestrator.searches.spec.SearchValidator;
import dev.optbench.orchestrator.searches.strategy.Observation;
import dev.optbench.orchestrator.workers.PoolAnnouncements;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns a round's configurations into ordinary runs: a run spec per pruning level (a run spec prunes a model one
 * way), validated like any submitted spec, stored with only the chosen trials of its variants × artifacts.
 */
@ApplicationScoped
public class SearchRounds {
    private static final Logger LOG = Logger.getLogger(SearchRounds.class);
    private static final int MAX_VARIANT_NAME = 190;

    private final RunSpecValidator validator;
    private final PoolAnnouncements pools;
    private final RunService runs;
    private final EntityManager entityManager;

    public SearchRounds(RunSpecValidator validator, PoolAnnouncements pools, RunService runs, EntityManager entityManager) {
        this.validator = validator;
        this.pools = pools;
        this.runs = runs;
        this.entityManager = entityManager;
    }

    /**
     * Submits the configurations as one round; the final stage measures on the full workload and (with a judge
     * constraint) has the answers judged, screening measures perplexity and KL divergence of each artifact.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<RoundRun> submit(UUID searchId, PlannedSearch search, String stage, int round, List<SearchConfig> configs) {
        Map<Integer, List<SearchConfig>> byPrune = new LinkedHashMap<>();
        Set<Integer> levels = new TreeSet<>();
        configs.forEach(c -> { if (c.pruneLayers() > 0) { levels.add(c.pruneLayers()); } });
        int first = levels.isEmpty() ? 0 : levels.iterator().next();
        for (SearchConfig config : configs) {
            byPrune.computeIfAbsent(config.pruneLayers() == 0 ? first : config.pruneLayers(), k -> new ArrayList<>()).add(config);
        }
        List<RoundRun> submitted = new ArrayList<>();
        int part = 0;
        for (Map.Entry<Integer, List<SearchConfig>> group : byPrune.entrySet()) {
            part++;
            String name = search.name() + " · " + stage + " " + round + (byPrune.size() > 1 ? " part " + part : "");
            submitted.add(submitRun(searchId, search, stage, round, name, group.getKey(), group.getValue()));
        }
        return submitted;
    }

    private RoundRun submitRun(UUID searchId, PlannedSearch search, String stage, int round, String name, int pruneLevel,
                               List<SearchConfig> configs) {
        List<String> quantizations = search.spec().space() == null || search.spec().space().quantizations() == null
                || search.spec().space().quantizations().isEmpty() ? null : search.spec().space().quantizations();
        List<ModelSpec> models = search.models().stream()
                .map(ref -> new ModelSpec(ref, quantizations, SearchValidator.prune(pruneLevel))).toList();
        Map<String, LinkedHashMap<String, Object>> variants = new LinkedHashMap<>();
        configs.forEach(config -> variants.putIfAbsent(config.flagsLabel(), config.flags()));
        Map<String, SearchConfig> trials = new LinkedHashMap<>();
        for (SearchConfig config : configs) {
            trials.put(RoundRun.trialKey(nameOf(config, search, variants), config.artifactLabel()), config);
        }
        List<VariantSpec> listed = new ArrayList<>();
        for (Map.Entry<String, LinkedHashMap<String, Object>> variant : variants.entrySet()) {
            if (!variant.getValue().equals(search.baselineFlags())) {
                listed.add(new VariantSpec(nameFor(variant.getKey(), listed.size()), variant.getValue()));
            }
        }
        boolean full = stage.equals(Observation.FINAL);
        WorkloadSpec workload = full ? search.workload() : search.screeningWorkload();
        boolean judge = full && search.constraints().needsJudge();
        PerplexitySpec perplexity = stage.equals(Observation.SCREEN) ? new PerplexitySpec(search.perplexityCorpus()) : null;
        QualitySpec quality = judge || perplexity != null ? new QualitySpec(judge ? Boolean.TRUE : null, search.judgeModel(), perplexity) : null;
        RunSpec spec = new RunSpec(name, search.pool(), models, new VariantSpec("Baseline", search.baselineFlags()), listed, null,
                workload, quality);
        PlannedRun plan = validator.validate(spec, pools.of(search.pool()), new FieldErrors());
        Set<String> wanted = new LinkedHashSet<>(trials.keySet());
        UUID runId = runs.submit(plan, (variant, artifact) -> wanted.contains(RoundRun.trialKey(variant.name(), artifact.label())));
        entityManager.createNativeQuery("INSERT INTO search_run (search_id, run_id, round, stage) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, searchId).setParameter(2, runId).setParameter(3, round).setParameter(4, stage).executeUpdate();
        LOG.debugf("search %s: %s round %d run %s with %d trial(s)", searchId, stage, round, runId, trials.size());
        return new RoundRun(runId, round, stage, trials, false);
    }

    /** The run's variant name for a configuration's flags: the baseline's, or its flags written out. */
    private static String nameOf(SearchConfig config, PlannedSearch search, Map<String, LinkedHashMap<String, Object>> variants) {
        if (config.flags().equals(search.baselineFlags())) {
            return "Baseline";
        }
        int index = 0;
        for (Map.Entry<String, LinkedHashMap<String, Object>> variant : variants.entrySet()) {
            if (variant.getValue().equals(search.baselineFlags())) {
                continue;
            }
            if (variant.getKey().equals(config.flagsLabel())) {
                return nameFor(variant.getKey(), index);
            }
            index++;
        }
        throw new IllegalStateException("no variant for " + config.flagsLabel());
    }

    private static String nameFor(String flagsLabel, int index) {
        return flagsLabel.length() <= MAX_VARIANT_NAME ? flagsLabel : flagsLabel.substring(0, MAX_VARIANT_NAME) + " #" + (index + 1);
    }
}
