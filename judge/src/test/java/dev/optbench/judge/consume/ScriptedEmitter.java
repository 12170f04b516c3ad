package dev.optbench.judge.consume;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** An emitter for unit tests that acknowledges what it is sent, or nacks it with the next scripted failure, as the Kafka sink does. */
final class ScriptedEmitter implements Emitter<String> {
    private final Deque<Throwable> failures = new ArrayDeque<>();
    final List<Message<? extends String>> sent = new CopyOnWriteArrayList<>();
    final List<Message<? extends String>> taken = new CopyOnWriteArrayList<>();

    ScriptedEmitter thenFail(Throwable failure) {
        failures.add(failure);
        return this;
    }

    @Override
    public synchronized <M extends Message<? extends String>> void send(M message) {
        sent.add(message);
        Throwable failure = failures.poll();
        if (failure == null) {
            taken.add(message);
            message.ack();
        } else {
            message.nack(failure);
        }
    }

    @Override
    public CompletionStage<Void> send(String payload) {
        throw new UnsupportedOperationException("the judge sends messages with metadata");
    }

    @Override
    public void complete() {
    }

    @Override
    public void error(Exception e) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean hasRequests() {
        return true;
    }
}
