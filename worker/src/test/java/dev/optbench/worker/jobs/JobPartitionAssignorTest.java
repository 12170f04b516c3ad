package dev.optbench.worker.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class JobPartitionAssignorTest {
    private static final String TOPIC = "bench.jobs.h100";

    private static TopicPartition p(int partition) {
        return new TopicPartition(TOPIC, partition);
    }

    private static List<TopicPartition> ps(int... partitions) {
        return IntStream.of(partitions).mapToObj(JobPartitionAssignorTest::p).toList();
    }

    private static Subscription member(List<TopicPartition> owned, Set<TopicPartition> inFlight, int generation) {
        return new Subscription(List.of(TOPIC), JobPartitionAssignor.encode(inFlight), owned, generation, Optional.empty());
    }

    private static Map<String, List<TopicPartition>> assign(Map<String, Subscription> members) {
        return JobPartitionAssignor.assign(Map.of(TOPIC, 4), members);
    }

    /** Runs rebalances until nothing is revoked any more, as the revoking members' rejoins do. */
    private static Map<String, List<TopicPartition>> settle(Map<String, List<TopicPartition>> owned, Map<String, Set<TopicPartition>> inFlight) {
        Map<String, List<TopicPartition>> current = owned;
        for (int round = 0; round < 5; round++) {
            Map<String, Subscription> members = new HashMap<>();
            for (String id : current.keySet()) {
                members.put(id, member(current.get(id), inFlight.getOrDefault(id, Set.of()), 7));
            }
            Map<String, List<TopicPartition>> next = assign(members);
            assertCooperative(current, next);
            if (next.equals(current)) {
                return next;
            }
            current = next;
        }
        throw new AssertionError("no stable assignment after 5 rebalances: " + current);
    }

    /** No partition goes to a member in the same rebalance in which another member gives it up. */
    private static void assertCooperative(Map<String, List<TopicPartition>> owned, Map<String, List<TopicPartition>> assigned) {
        Set<TopicPartition> revoked = new HashSet<>();
        owned.forEach((id, partitions) -> partitions.stream().filter(tp -> !assigned.get(id).contains(tp)).forEach(revoked::add));
        assigned.forEach((id, partitions) -> partitions.stream().filter(tp -> !owned.get(id).contains(tp))
                .forEach(tp -> assertTrue(!revoked.contains(tp), tp + " assigned to " + id + " while it is revoked elsewhere")));
    }

    @Test
    void aWorkerJoiningMidTrialGetsIdlePartitionsAndTheTrialsPartitionStays() {
        Map<String, List<TopicPartition>> owned = new HashMap<>(Map.of("a", ps(0, 1, 2, 3), "b", List.of()));
        Map<String, List<TopicPartition>> first = assign(Map.of("a", member(ps(0, 1, 2, 3), Set.of(p(3)), 7), "b", member(List.of(), Set.of(), -1)));
        assertEquals(ps(3, 0), first.get("a"), "the trial's partition 3 stays; a gives up 1 and 2");
        assertEquals(List.of(), first.get("b"), "given-up partitions go out only in the follow-up rebalance");

        Map<String, List<TopicPartition>> settled = settle(owned, Map.of("a", Set.of(p(3))));
        assertTrue(settled.get("a").contains(p(3)), settled.toString());
        assertEquals(2, settled.get("a").size());
        assertEquals(Set.copyOf(ps(1, 2)), Set.copyOf(settled.get("b")));
    }

    @Test
    void withoutTrialsInFlightTheLowestOwnedPartitionsStayLikeTheStickyAssignor() {
        Map<String, List<TopicPartition>> settled = settle(new HashMap<>(Map.of("a", ps(0, 1, 2, 3), "b", List.of())), Map.of());
        assertEquals(ps(0, 1), settled.get("a"));
        assertEquals(ps(2, 3), settled.get("b"));
    }

    @Test
    void busyWorkersKeepTheirPartitionWhenThereAreMoreWorkersThanPartitions() {
        Map<String, List<TopicPartition>> owned = new HashMap<>(Map.of("a", ps(0), "b", ps(1), "c", ps(2, 3), "d", List.of(), "e", List.of()));
        Map<String, List<TopicPartition>> settled = settle(owned, Map.of("a", Set.of(p(0)), "b", Set.of(p(1)), "c", Set.of(p(3))));
        assertEquals(ps(0), settled.get("a"));
        assertEquals(ps(1), settled.get("b"));
        assertEquals(ps(3), settled.get("c"));
        assertEquals(1, settled.get("d").size() + settled.get("e").size(), "partition 2 goes to one of the newcomers");
    }

    @Test
    void aClaimOfAPartitionTheMemberDoesNotOwnCountsForNothing() {
        Map<String, List<TopicPartition>> first = assign(Map.of("a", member(ps(0, 1, 2, 3), Set.of(), 7), "b", member(List.of(), Set.of(p(3)), -1)));
        assertEquals(ps(0, 1), first.get("a"));
        assertEquals(List.of(), first.get("b"));
    }

    @Test
    void aPartitionClaimedTwiceBelongsToTheLaterGeneration() {
        Map<String, List<TopicPartition>> first = assign(Map.of("a", member(ps(0, 1), Set.of(p(1)), 6), "b", member(ps(1, 2, 3), Set.of(), 7)));
        assertTrue(first.get("b").contains(p(1)), "a missed a rebalance; its stale claim does not keep partition 1: " + first);
        assertTrue(!first.get("a").contains(p(1)), first.toString());
    }

    @Test
    void everyPartitionEndsWithExactlyOneBalancedOwnerWhateverTheStart() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int workers = 1 + random.nextInt(6);
            Map<String, List<TopicPartition>> owned = new HashMap<>();
            for (int w = 0; w < workers; w++) {
                owned.put("w" + w, new ArrayList<>());
            }
            Map<String, Set<TopicPartition>> inFlight = new HashMap<>();
            for (int partition = 0; partition < 4; partition++) {
                if (random.nextInt(5) > 0) {
                    String holder = "w" + random.nextInt(workers);
                    owned.get(holder).add(p(partition));
                    if (random.nextBoolean() && !inFlight.containsKey(holder)) {
                        inFlight.put(holder, Set.of(p(partition)));
                    }
                }
            }
            Map<String, List<TopicPartition>> settled = settle(owned, inFlight);
            List<TopicPartition> all = settled.values().stream().flatMap(List::stream).sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            assertEquals(ps(0, 1, 2, 3), all, "start " + owned + " in flight " + inFlight + " gave " + settled);
            inFlight.forEach((id, partitions) -> assertTrue(settled.get(id).containsAll(partitions), "a trial's partition moved: " + settled));
            int most = settled.values().stream().mapToInt(List::size).max().orElseThrow();
            int least = settled.values().stream().mapToInt(List::size).min().orElseThrow();
            assertTrue(most - least <= 1, "unbalanced: " + settled);
        }
    }

    @Test
    void inFlightPartitionsSurviveTheUserDataRoundTrip() {
        assertEquals(Set.of(p(3), new TopicPartition("bench.jobs.cpu", 0)),
                JobPartitionAssignor.decode(JobPartitionAssignor.encode(Set.of(p(3), new TopicPartition("bench.jobs.cpu", 0)))));
        assertEquals(Set.of(), JobPartitionAssignor.decode(null));
        assertEquals(Set.of(), JobPartitionAssignor.decode(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 7})), "another build's user data");
    }
}
