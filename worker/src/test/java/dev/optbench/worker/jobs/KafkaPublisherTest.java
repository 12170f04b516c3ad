package dev.optbench.worker.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.optbench.contracts.messages.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KafkaPublisherTest {

    private static Sample sample(int round, String answer) {
        UUID trial = UUID.randomUUID();
        return new Sample(Sample.idOf(trial, 1, 0, "c", round), "c", round, 0, 1, Instant.now(), 10, 5, 0, 1, 2, null, null,
                null, null, null, null, null, null, null, "length", "p", answer, null);
    }

    @Test
    void chunksHoldAtMostTheConfiguredNumberOfSamples() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            samples.add(sample(i, "a"));
        }
        assertEquals(List.of(2, 2, 1), KafkaPublisher.chunks(samples, 2, 1_000_000).stream().map(List::size).toList());
    }

    @Test
    void longAnswersStartANewChunkBeforeTheByteLimit() {
        String big = "x".repeat(4000);
        List<Sample> samples = List.of(sample(0, big), sample(1, big), sample(2, big));
        assertEquals(List.of(1, 1, 1), KafkaPublisher.chunks(samples, 50, 6000).stream().map(List::size).toList());
        assertEquals(List.of(), KafkaPublisher.chunks(List.of(), 50, 6000));
    }
}
