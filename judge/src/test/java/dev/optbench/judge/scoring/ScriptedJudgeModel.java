package dev.optbench.judge.scoring;

import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.models.JudgeModel;
import dev.optbench.judge.models.RejectedReply;
import dev.optbench.judge.verdicts.JudgePrompt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/** A judge model for unit tests that answers from a script and records what it was asked. */
final class ScriptedJudgeModel implements JudgeModel {
    private final JudgeEndpoint endpoint = new JudgeEndpoint("openai", "http://127.0.0.1:9/v1", "scripted", null);
    private final Deque<Supplier<String>> script = new ArrayDeque<>();
    final List<JudgePrompt> prompts = new ArrayList<>();
    final List<RejectedReply> rejections = new ArrayList<>();

    ScriptedJudgeModel then(String reply) {
        script.add(() -> reply);
        return this;
    }

    ScriptedJudgeModel thenFail(RuntimeException failure) {
        script.add(() -> {
            throw failure;
        });
        return this;
    }

    @Override
    public JudgeEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String reply(JudgePrompt prompt, RejectedReply rejected) {
        prompts.add(prompt);
        rejections.add(rejected);
        Supplier<String> next = script.poll();
        if (next == null) {
            throw new AssertionError("the judge was asked more often than scripted: " + prompt.kind() + " " + prompt.order());
        }
        return next.get();
    }
}
