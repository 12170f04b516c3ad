package dev.optbench.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GrafanaDashboardTest {

    private static final Path DASHBOARD = Repository.path("deploy/k8s/base/grafana/optbench-dashboard.json");
    /** Metrics the dashboard reads that come from outside OptBench: Strimzi's Kafka Exporter and Prometheus itself. */
    private static final Set<String> EXTERNAL = Set.of("kafka_consumergroup_lag", "kafka_topic_partition_current_offset", "up");
    /**
     * Metrics the dashboard reads that no service registers yet: the worker's counters of generated tokens and of
     * finished trials, with tags pool and status. A name here that a service starts to register can leave the list.
     */
    private static final Set<String> EXPECTED_FROM_THE_WORKER = Set.of(
            "optbench_worker_generated_tokens_total", "optbench_worker_trials_total");
    private static final Pattern METER = Pattern.compile(
            "(Counter|Timer|Gauge|DistributionSummary|LongTaskTimer)\\.builder\\(\\s*\"([^\"]+)\"|\\.(gauge|counter|timer)\\(\\s*\"([^\"]+)\"");
    private static final Pattern METRIC_NAME = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s*(?=[{\\[)]|$)");

    @Test
    void showsQueueDepthTrialsByStatusTokensPerPoolAndJudgeThroughput() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> titles = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> titles.add(panel.get("title").asText()));
        for (String wanted : List.of("Queue depth per pool", "Trials by status", "Generated tokens/s per pool", "Judge throughput")) {
            assertTrue(titles.contains(wanted), "no panel " + wanted + " in " + titles);
        }
        assertEquals("optbench", dashboard.get("uid").asText());
    }

    @Test
    void readsOnlyMetricsThatAServiceRegistersOrThatComeFromOutside() throws IOException {
        Set<String> exposed = exposedByServices();
        assertTrue(exposed.contains("optbench_trials"), "the orchestrator's trials-by-status gauge: " + exposed);
        List<String> unknown = new ArrayList<>();
        for (String metric : metricsInDashboard()) {
            if (!exposed.contains(metric) && !EXTERNAL.contains(metric) && !EXPECTED_FROM_THE_WORKER.contains(metric)) {
                unknown.add(metric);
            }
        }
        assertEquals(List.of(), unknown, "dashboard metrics that nothing exposes");
    }

    @Test
    void findsMetricNamesInQueries() {
        assertEquals(Set.of("optbench_trials", "up"), namesIn("sum by (status) (optbench_trials) + count(up{a=\"b\"} == 1)"));
    }

    private static Set<String> metricsInDashboard() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> names = new TreeSet<>();
        dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(target -> names.addAll(namesIn(target.get("expr").asText()))));
        assertFalse(names.isEmpty());
        return names;
    }

    /** Metric names in a PromQL expression: identifiers followed by a selector, a range or a closing parenthesis, minus PromQL's words. */
    static Set<String> namesIn(String expression) {
        Set<String> words = Set.of("sum", "by", "count", "rate", "increase", "without", "avg", "max", "min");
        String withoutLabels = expression.replaceAll("\\{[^}]*}", "{}").replaceAll("\\([^()]*\\)\\s*\\(", "(");
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC_NAME.matcher(withoutLabels);
        while (matcher.find()) {
            if (!words.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** Prometheus names of the meters the four services register with Micrometer. */
    private static Set<String> exposedByServices() {
        Set<String> names = new TreeSet<>();
        for (String module : ServiceModule.MODULE_BY_DEPLOYMENT.values()) {
            for (Path file : ServiceModule.javaSources(module)) {
                Matcher meter = METER.matcher(Repository.read(file));
                while (meter.find()) {
                    String type = meter.group(1) != null ? meter.group(1) : meter.group(3);
                    String base = (meter.group(2) != null ? meter.group(2) : meter.group(4)).replace('.', '_');
                    switch (type.toLowerCase()) {
                        case "counter" -> names.add(base + "_total");
                        case "timer", "longtasktimer" -> names.addAll(List.of(base + "_seconds_count", base + "_seconds_sum", base + "_seconds_max"));
                        case "distributionsummary" -> names.addAll(List.of(base + "_count", base + "_sum", base + "_max"));
                        default -> names.add(base);
                    }
                }
            }
        }
        return names;
    }
}
