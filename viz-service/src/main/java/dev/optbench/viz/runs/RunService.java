package dev.optbench.viz.runs;

import dev.optbench.viz.config.VizConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The stored runs as the dashboard and the JSON API show them.
 */
@ApplicationScoped
public class RunService {
    private static final Logger LOG = Logger.getLogger(RunService.class);

    private final RunRepository runs;
    private final VizConfig config;

    public RunService(RunRepository runs, VizConfig config) {
        this.runs = runs;
        this.config = config;
    }

    /** One page of the run list; blank filters count as none. */
    public List<RunOverview> list(String status, String search, int page) {
        int size = config.runsPageSize();
        return runs.list(blankToNull(status), blankToNull(search), size, Math.max(0, page) * size);
    }

    public List<String> statuses() {
        return runs.statuses();
    }

    /** @throws RunNotFoundException when the run is not stored */
    public RunDetail detail(UUID runId) {
        LOG.debugf("reading run %s", runId);
        RunOverview run = runs.find(runId).orElseThrow(() -> new RunNotFoundException(runId.toString()));
        return new RunDetail(run, runs.trials(List.of(runId)));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
