package dev.optbench.orchestrator.searches;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Moves every open search on at a fixed interval: a search whose open round ended gets its next round. A search
 * whose planning throws at several ticks in a row (not a database that blinked once) ends FAILED with the reason.
 */
@ApplicationScoped
public class SearchDriver {
    private static final Logger LOG = Logger.getLogger(SearchDriver.class);

    private static final int FAILURES_BEFORE_GIVING_UP = 5;

    private final SearchService searches;
    private final Map<UUID, Integer> failures = new ConcurrentHashMap<>();

    public SearchDriver(SearchService searches) {
        this.searches = searches;
    }

    @Scheduled(every = "${optbench.searches.poll-interval:2s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        for (UUID id : openSearches()) {
            try {
                searches.advance(id);
                failures.remove(id);
            } catch (RuntimeException e) {
                int failed = failures.merge(id, 1, Integer::sum);
                LOG.errorf(e, "search %s: moving it on failed (%d time(s) in a row)", id, failed);
                if (failed >= FAILURES_BEFORE_GIVING_UP) {
                    failures.remove(id);
                    searches.fail(id, "planning the next round failed " + failed + " times in a row: " + e);
                }
            }
        }
    }

    @Transactional
    List<UUID> openSearches() {
        return SearchEntity.openIds();
    }
}
