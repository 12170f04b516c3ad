package dev.optbench.worker.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(JoinedPoolProfile.class)
class JobConsumerSessionTest {
    @Inject
    JobConsumer consumer;

    @Test
    void theGroupGivesUpOnASilentWorkerAfterTheConfiguredSessionTimeoutSoItsTrialMovesOnSooner() {
        Properties properties = consumer.properties();
        assertEquals(7000, properties.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals(2333, properties.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
    }
}
