package dev.optbench.orchestrator.searches;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.contracts.search.SearchResult;
import dev.optbench.contracts.search.SearchSpec;
import dev.optbench.orchestrator.runs.RunService;
import dev.optbench.orchestrator.searches.SearchState.RoundRun;
import dev.optbench.orchestrator.searches.spec.PlannedSearch;
import dev.optbench.orchestrator.searches.spec.SearchValidator;
import dev.optbench.orchestrator.searches.strategy.Observation;
import dev.optbench.orchestrator.searches.strategy.SearchPlanner;
import dev.optbench.orchestrator.storage.StoredJson;
import dev.optbench.orchestrator.workers.PoolCapabilities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs searches: stores one with its screening round, and, whenever every run of its open round has ended (and its
 * judge scores are in), reads the round back, plans the next one (exploration while the budget allows, then the
 * finalists' interleaved full-workload repetitions) and submits it, or completes the search with its result.
 */
@ApplicationScoped
public class SearchService {
    private static final Logger LOG = Logger.getLogger(SearchService.class);
    /** A final trial plays the full workload: assumed to take twice a short one, for the device-hours budget. */
    private static final double FINAL_TRIAL_COST = 2.0;

    private final SearchValidator validator;
    private final SearchRounds rounds;
    private final SearchEvaluation evaluation;
    private final RunService runs;
    private final SearchSettings settings;

    public SearchService(SearchValidator validator, SearchRounds rounds, SearchEvaluation evaluation, RunService runs, SearchSettings settings) {
        this.validator = validator;
        this.rounds = rounds;
        this.evaluation = evaluation;
        this.runs = runs;
        this.settings = settings;
    }

    /** Stores a validated search and submits its screening round; returns its id. */
    @Transactional
    public UUID create(PlannedSearch search) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        SearchEntity entity = new SearchEntity();
        entity.id = UUID.randomUUID();
        entity.name = search.name();
        entity.pool = search.pool();
        entity.status = SearchStatus.RUNNING;
        entity.spec = Messages.toJson(search.spec());
        entity.state = Messages.toJson(new SearchState(SearchState.SCREEN, 1, List.of(), List.of(), List.of(), null));
        entity.createdAt = now;
        entity.updatedAt = now;
        entity.persistAndFlush();
        List<RoundRun> screening = rounds.submit(entity.id, search, Observation.SCREEN, 1, new SearchPlanner(search).screening());
        SearchState state = new SearchState(SearchState.SCREEN, 1, screening, List.of(), List.of(), null);
        save(entity, search, state, false);
        LOG.debugf("search %s '%s': %d configurations, screening %d artifact(s)", entity.id, search.name(), search.spaceSize(), search.artifacts().size());
        return entity.id;
    }

    /** Moves a search on when its open round has ended; does nothing while it runs. */
    @Transactional
    public void advance(UUID searchId) {
        SearchEntity entity = SearchEntity.lockedById(searchId).orElseThrow(() -> new SearchNotFoundException(searchId));
        if (entity.status.isFinal()) {
            return;
        }
        SearchState state = StoredJson.read(entity.state, SearchState.class);
        boolean scored = true;
        for (RoundRun run : state.open()) {
            SearchEvaluation.RunProgress progress = evaluation.progress(run.runId());
            if (!progress.ended()) {
                return;
            }
            scored &= progress.scored();
        }
        PlannedSearch search = planned(entity);
        if (!scored) {
            Instant since = state.waitingSince() == null ? Instant.now() : state.waitingSince();
            if (Instant.now().isBefore(since.plus(settings.judgeTimeout()))) {
                if (state.waitingSince() == null) {
                    save(entity, search, with(state, state.phase(), state.round(), state.runs(), state.observations(), state.finalists(), since), false);
                }
                return;
            }
            LOG.warnf("search %s: judge scores still missing after %s; going on without them", searchId, settings.judgeTimeout());
        }
        List<Observation> observations = new ArrayList<>(state.observations());
        List<RoundRun> all = new ArrayList<>();
        for (RoundRun run : state.runs()) {
            if (!run.evaluated()) {
                observations.addAll(evaluation.observe(run, search.objective()));
                all.add(new RoundRun(run.runId(), run.round(), run.stage(), run.trials(), true));
            } else {
                all.add(run);
            }
        }
        next(entity, search, new SearchState(state.phase(), state.round(), all, observations, state.finalists(), null));
    }

    private void next(SearchEntity entity, PlannedSearch search, SearchState state) {
        SearchPlanner planner = new SearchPlanner(search);
        Map<String, List<String>> artifactViolations = planner.artifactViolations(state.observations());
        int round = state.round() + 1;
        if (!state.phase().equals(SearchState.FINAL)) {
            int exploreLeft = exploreLeft(search, state.observations());
            if (exploreLeft > 0) {
                List<SearchConfig> proposed = planner.propose(state.observations(), artifactViolations,
                        Math.min(search.batchSize(), exploreLeft), search.seed() + round);
                if (!proposed.isEmpty()) {
                    List<RoundRun> submitted = rounds.submit(entity.id, search, Observation.EXPLORE, round, proposed);
                    save(entity, search, with(state, SearchState.EXPLORE, round, plus(state.runs(), submitted), state.observations(), List.of(), null), false);
                    return;
                }
            }
            int finalistCount = finalistCount(search, state.observations());
            List<SearchConfig> finalists = finalistCount < 1 ? List.of() : planner.finalists(state.observations(), artifactViolations, finalistCount);
            if (finalists.isEmpty()) {
                complete(entity, search, state, "no measured configuration met the constraints, or the budget left none for the final repetitions");
                return;
            }
            submitFinal(entity, search, state, round, finalists);
            return;
        }
        long finalRounds = state.runs().stream().filter(r -> r.stage().equals(Observation.FINAL)).map(RoundRun::round).distinct().count();
        if (finalRounds < finalRepetitions(search, state)) {
            submitFinal(entity, search, state, round, state.finalists());
            return;
        }
        complete(entity, search, state, null);
    }

    private void submitFinal(SearchEntity entity, PlannedSearch search, SearchState state, int round, List<SearchConfig> finalists) {
        List<SearchConfig> configs = new ArrayList<>();
        configs.add(search.baselineConfig());
        finalists.stream().filter(c -> !c.equals(search.baselineConfig())).forEach(configs::add);
        List<RoundRun> submitted = rounds.submit(entity.id, search, Observation.FINAL, round, configs);
        save(entity, search, with(state, SearchState.FINAL, round, plus(state.runs(), submitted), state.observations(), finalists, null), false);
    }

    /** How many exploration trials the budget leaves after the final repetitions are set aside. */
    static int exploreLeft(PlannedSearch search, List<Observation> observations) {
        int finalTrials = search.repetitions() * (search.finalists() + 1);
        int left = Integer.MAX_VALUE;
        if (search.trialBudget() != null) {
            left = search.trialBudget() - observations.size() - finalTrials;
        }
        if (search.deviceHoursBudget() != null) {
            double shortSeconds = meanShortSeconds(observations);
            double leftSeconds = search.deviceHoursBudget() * 3600 - spentSeconds(observations) - finalTrials * shortSeconds * FINAL_TRIAL_COST;
            left = Math.min(left, shortSeconds <= 0 ? 0 : (int) Math.floor(leftSeconds / shortSeconds));
        }
        return Math.max(0, left);
    }

    /** The finalists the budget has room for (each final round measures them and the baseline). */
    static int finalistCount(PlannedSearch search, List<Observation> observations) {
        int count = search.finalists();
        if (search.trialBudget() != null) {
            int left = search.trialBudget() - observations.size();
            count = Math.min(count, left / Math.max(1, search.repetitions()) - 1);
            if (count < 1 && left >= 2) {
                count = 1;
            }
        }
        return count;
    }

    private static int finalRepetitions(PlannedSearch search, SearchState state) {
        if (search.trialBudget() == null) {
            return search.repetitions();
        }
        long spentBeforeFinal = state.observations().stream().filter(o -> !o.stage().equals(Observation.FINAL)).count();
        int perRound = state.finalists().size() + 1;
        return (int) Math.max(1, Math.min(search.repetitions(), (search.trialBudget() - spentBeforeFinal) / perRound));
    }

    private static double meanShortSeconds(List<Observation> observations) {
        return observations.stream().filter(o -> !o.stage().equals(Observation.FINAL) && o.wallSeconds() != null)
                .mapToDouble(Observation::wallSeconds).average().orElse(0);
    }

    private static double spentSeconds(List<Observation> observations) {
        return observations.stream().filter(o -> o.wallSeconds() != null).mapToDouble(Observation::wallSeconds).sum();
    }

    private void complete(SearchEntity entity, PlannedSearch search, SearchState state, String reason) {
        entity.status = SearchStatus.COMPLETED;
        entity.reason = reason;
        entity.finishedAt = Instant.now();
        save(entity, search, with(state, SearchState.DONE, state.round(), state.runs(), state.observations(), state.finalists(), null), true);
        LOG.debugf("search %s completed after %d trial(s)", entity.id, state.observations().size());
    }

    /** Cancels a search: its open runs are cancelled, what it measured so far stays in its result. */
    @Transactional
    public SearchStatus cancel(UUID searchId) {
        SearchEntity entity = SearchEntity.lockedById(searchId).orElseThrow(() -> new SearchNotFoundException(searchId));
        if (entity.status.isFinal()) {
            throw new SearchAlreadyFinishedException(searchId, entity.status);
        }
        SearchState state = StoredJson.read(entity.state, SearchState.class);
        for (RoundRun run : state.open()) {
            if (!evaluation.progress(run.runId()).ended()) {
                runs.cancel(run.runId());
            }
        }
        entity.status = SearchStatus.CANCELLED;
        entity.reason = "the search was cancelled";
        entity.finishedAt = Instant.now();
        save(entity, planned(entity), state, false);
        return entity.status;
    }

    /** Ends a search whose planning failed, with the reason; its runs stay as they are. */
    @Transactional
    public void fail(UUID searchId, String reason) {
        SearchEntity entity = SearchEntity.lockedById(searchId).orElseThrow(() -> new SearchNotFoundException(searchId));
        if (!entity.status.isFinal()) {
            entity.status = SearchStatus.FAILED;
            entity.reason = reason;
            entity.finishedAt = Instant.now();
            entity.updatedAt = entity.finishedAt;
        }
    }

    private PlannedSearch planned(SearchEntity entity) {
        return validator.validate(StoredJson.read(entity.spec, SearchSpec.class), PoolCapabilities.OF_AN_ACCEPTED_SPEC);
    }

    private void save(SearchEntity entity, PlannedSearch search, SearchState state, boolean ended) {
        entity.state = Messages.toJson(state);
        SearchResult result = new SearchResults(search).build(state.observations(), ended,
                trialIds -> evaluation.requestValues(trialIds, search.objective()));
        entity.result = Messages.toJson(result);
        entity.updatedAt = Instant.now();
    }

    private static SearchState with(SearchState state, String phase, int round, List<RoundRun> runs, List<Observation> observations,
                                    List<SearchConfig> finalists, Instant waitingSince) {
        return new SearchState(phase, round, runs, observations, finalists, waitingSince);
    }

    private static List<RoundRun> plus(List<RoundRun> runs, List<RoundRun> more) {
        List<RoundRun> all = new ArrayList<>(runs);
        all.addAll(more);
        return all;
    }

    /** The runs of a search, in order, for readers. */
    public static Map<UUID, RoundRun> runsOf(SearchState state) {
        Map<UUID, RoundRun> byId = new LinkedHashMap<>();
        state.runs().forEach(r -> byId.put(r.runId(), r));
        return byId;
    }
}
