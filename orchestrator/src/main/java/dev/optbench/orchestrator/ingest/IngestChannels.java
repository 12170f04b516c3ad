package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.TrialResult;
import dev.optbench.contracts.messages.WorkerEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The three topics the orchestrator consumes, each in batches (one poll at a time, in order, on a worker thread).
 * A batch's offsets are committed after this method returns, so a crash replays the batch; the stores make that
 * harmless. Channel configuration: {@code mp.messaging.incoming.*} in application.properties.
 */
@ApplicationScoped
public class IngestChannels {
    private final BatchIngestion ingestion;
    private final ResultsStore results;
    private final EventsStore events;
    private final ScoresStore scores;

    public IngestChannels(BatchIngestion ingestion, ResultsStore results, EventsStore events, ScoresStore scores) {
        this.ingestion = ingestion;
        this.results = results;
        this.events = events;
        this.scores = scores;
    }

    @Incoming("results")
    @Blocking
    public void results(ConsumerRecords<String, String> records) {
        ingestion.ingest(list(records), TrialResult.class, results);
    }

    @Incoming("events")
    @Blocking
    public void events(ConsumerRecords<String, String> records) {
        ingestion.ingest(list(records), WorkerEvent.class, events);
    }

    @Incoming("scores")
    @Blocking
    public void scores(ConsumerRecords<String, String> records) {
        ingestion.ingest(list(records), Score.class, scores);
    }

    private static List<ConsumerRecord<String, String>> list(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        return list;
    }
}
