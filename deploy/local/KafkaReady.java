import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Waits until a Kafka broker answers an admin request, then creates the topics it is given
 * (name:partitions) that do not exist yet. Run by the local launcher with the broker's classpath:
 * java -cp CP KafkaReady.java BOOTSTRAP TIMEOUT_SECONDS [TOPIC:PARTITIONS ...]
 */
public class KafkaReady {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(args[1]));
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    int brokers = admin.describeCluster().nodes().get().size();
                    if (brokers > 0) {
                        break;
                    }
                } catch (Exception notYet) {
                    // the broker is still starting
                }
                if (Instant.now().isAfter(deadline)) {
                    System.err.println("Kafka at " + bootstrap + " did not answer within " + args[1] + " s");
                    System.exit(1);
                }
                Thread.sleep(200);
            }
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                String[] topic = args[i].split(":");
                if (!existing.contains(topic[0])) {
                    missing.add(new NewTopic(topic[0], Integer.parseInt(topic[1]), (short) 1)
                            .configs(Map.of("min.insync.replicas", "1")));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
