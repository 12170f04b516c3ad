package dev.optbench.worker.jobs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;

/**
 * Shares a pool's job partitions among its workers like a cooperative sticky assignor (balanced, each worker
 * keeps what it owns) except that the partition of a trial in flight never moves: its worker keeps it and gives
 * up another partition instead. A worker that joins mid-trial (a KEDA scale-up) takes idle partitions, so the
 * running trial is neither started twice nor restarted, and its offset stays uncommitted until its results are out.
 *
 * <p>Each member names its in-flight partitions in its subscription's user data. Cooperative protocol: a partition
 * that changes owner is only revoked in one rebalance and assigned in the follow-up one (which the revoking
 * member's rejoin starts), so no two members ever hold it at once.
 */
public final class JobPartitionAssignor implements ConsumerPartitionAssignor, Configurable {
    public static final String NAME = "optbench-jobs";
    /** Consumer config key; its value is a {@code Supplier<Set<TopicPartition>>} of this member's in-flight partitions. */
    public static final String IN_FLIGHT_CONFIG = "optbench.jobs.in-flight-partitions";

    private Supplier<Set<TopicPartition>> inFlight = Set::of;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object given = configs.get(IN_FLIGHT_CONFIG);
        if (given instanceof Supplier<?> supplier) {
            inFlight = () -> (Set<TopicPartition>) supplier.get();
        } else if (given != null) {
            throw new ConfigException(IN_FLIGHT_CONFIG, given, "must be a Supplier<Set<TopicPartition>>");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return encode(inFlight.get());
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Integer> partitionsPerTopic = new HashMap<>();
        for (Subscription subscription : groupSubscription.groupSubscription().values()) {
            for (String topic : subscription.topics()) {
                Integer count = metadata.partitionCountForTopic(topic);
                if (count != null) {
                    partitionsPerTopic.put(topic, count);
                }
            }
        }
        Map<String, Assignment> assignments = new HashMap<>();
        assign(partitionsPerTopic, groupSubscription.groupSubscription())
                .forEach((member, partitions) -> assignments.put(member, new Assignment(partitions)));
        return new GroupAssignment(assignments);
    }

    /** The assignment of every member, each topic shared among the members that subscribe to it. */
    static Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> result = new TreeMap<>();
        subscriptions.keySet().forEach(member -> result.put(member, new ArrayList<>()));
        for (Map.Entry<String, Integer> topic : new TreeMap<>(partitionsPerTopic).entrySet()) {
            List<String> members = subscriptions.entrySet().stream().filter(e -> e.getValue().topics().contains(topic.getKey()))
                    .map(Map.Entry::getKey).sorted().toList();
            if (!members.isEmpty()) {
                assignTopic(topic.getKey(), topic.getValue(), members, subscriptions)
                        .forEach((member, partitions) -> result.get(member).addAll(partitions));
            }
        }
        return result;
    }

    private static Map<String, List<TopicPartition>> assignTopic(String topic, int partitionCount, List<String> members,
                                                                 Map<String, Subscription> subscriptions) {
        // A partition two members claim (one of them missed a rebalance) belongs to the later generation.
        Map<TopicPartition, String> owner = new HashMap<>();
        for (String member : members) {
            Subscription subscription = subscriptions.get(member);
            for (TopicPartition partition : subscription.ownedPartitions()) {
                if (!partition.topic().equals(topic) || partition.partition() >= partitionCount) {
                    continue;
                }
                String previous = owner.get(partition);
                if (previous == null || generation(subscription) > generation(subscriptions.get(previous))) {
                    owner.put(partition, member);
                }
            }
        }
        Map<String, List<TopicPartition>> owned = new HashMap<>();
        Map<String, Set<TopicPartition>> busy = new HashMap<>();
        for (String member : members) {
            owned.put(member, owner.entrySet().stream().filter(e -> e.getValue().equals(member)).map(Map.Entry::getKey)
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList());
            Set<TopicPartition> claimed = decode(subscriptions.get(member).userData());
            busy.put(member, new LinkedHashSet<>(owned.get(member).stream().filter(claimed::contains).toList()));
        }

        // The larger shares go to members with a trial in flight, then to those that own more, so less moves.
        List<String> ranked = new ArrayList<>(members);
        ranked.sort(Comparator.<String>comparingInt(m -> busy.get(m).isEmpty() ? 1 : 0)
                .thenComparingInt(m -> -owned.get(m).size()).thenComparing(m -> m));
        int base = partitionCount / members.size();
        int larger = partitionCount % members.size();
        Map<String, Integer> quota = new HashMap<>();
        Map<String, List<TopicPartition>> kept = new HashMap<>();
        for (int rank = 0; rank < ranked.size(); rank++) {
            String member = ranked.get(rank);
            int share = Math.max(base + (rank < larger ? 1 : 0), busy.get(member).size());
            quota.put(member, share);
            List<TopicPartition> keep = new ArrayList<>(busy.get(member));
            for (TopicPartition partition : owned.get(member)) {
                if (keep.size() >= share) {
                    break;
                }
                if (!keep.contains(partition)) {
                    keep.add(partition);
                }
            }
            kept.put(member, keep);
        }

        // Only partitions nobody claims are handed out now; those given up go out in the follow-up rebalance.
        Set<TopicPartition> claimed = new HashSet<>();
        subscriptions.values().forEach(s -> claimed.addAll(s.ownedPartitions()));
        for (int p = 0; p < partitionCount; p++) {
            TopicPartition partition = new TopicPartition(topic, p);
            if (claimed.contains(partition)) {
                continue;
            }
            String taker = ranked.stream().filter(m -> kept.get(m).size() < quota.get(m))
                    .max(Comparator.comparingInt(m -> quota.get(m) - kept.get(m).size())).orElse(ranked.getFirst());
            kept.get(taker).add(partition);
        }
        return kept;
    }

    private static int generation(Subscription subscription) {
        return subscription.generationId().orElse(-1);
    }

    /** The in-flight partitions as {@code topic:partition} joined by commas (Kafka topic names hold neither). */
    static ByteBuffer encode(Set<TopicPartition> partitions) {
        List<String> names = partitions.stream().map(p -> p.topic() + ":" + p.partition()).sorted().toList();
        return ByteBuffer.wrap(String.join(",", names).getBytes(StandardCharsets.UTF_8));
    }

    static Set<TopicPartition> decode(ByteBuffer userData) {
        Set<TopicPartition> partitions = new HashSet<>();
        if (userData == null || !userData.hasRemaining()) {
            return partitions;
        }
        ByteBuffer copy = userData.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        for (String name : new String(bytes, StandardCharsets.UTF_8).split(",")) {
            int colon = name.lastIndexOf(':');
            if (colon > 0) {
                try {
                    partitions.add(new TopicPartition(name.substring(0, colon), Integer.parseInt(name.substring(colon + 1))));
                } catch (NumberFormatException notOurs) {
                    // another build's user data: it simply claims no trial in flight
                }
            }
        }
        return partitions;
    }
}
