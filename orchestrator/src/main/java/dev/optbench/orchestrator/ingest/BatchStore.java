package dev.optbench.orchestrator.ingest;

import java.util.List;

/** Stores one batch of a topic's messages inside the caller's transaction; returns the records it refused. */
@FunctionalInterface
public interface BatchStore<T> {
    List<Rejection> store(List<Parsed<T>> batch);
}
