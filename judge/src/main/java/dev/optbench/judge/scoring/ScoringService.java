package dev.optbench.judge.scoring;

import dev.optbench.contracts.messages.JudgeRequest;
import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.ScoreKind;
import dev.optbench.contracts.messages.Verdict;
import dev.optbench.judge.cache.JudgementCache;
import dev.optbench.judge.models.JudgeModel;
import dev.optbench.judge.models.JudgeModels;
import dev.optbench.judge.models.JudgeRejectedException;
import dev.optbench.judge.models.JudgeUnavailableException;
import dev.optbench.judge.models.RejectedReply;
import dev.optbench.judge.verdicts.JudgePrompt;
import dev.optbench.judge.verdicts.JudgePrompts;
import dev.optbench.judge.verdicts.PairwiseChoice;
import dev.optbench.judge.verdicts.PairwiseVerdict;
import dev.optbench.judge.verdicts.ParsedReply;
import dev.optbench.judge.verdicts.ReferenceCheck;
import dev.optbench.judge.verdicts.ReplyParser;
import dev.optbench.judge.verdicts.RubricGrade;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Turns one judge request into its scores: pairwise against the baseline's answer (asked in both orders),
 * a rubric grade, and a reference check when the prompt has an expected answer. Each judge call goes through
 * the cache; an unreadable reply is asked once more and then stored UNPARSEABLE; an endpoint that does not
 * answer waits before it is asked again ({@link EndpointBackoff}) and the request is set aside meanwhile.
 */
@ApplicationScoped
public class ScoringService {
    /** The raw reply of a pairwise score decided without a judge call. */
    public static final String IDENTICAL_ANSWERS = "identical answers: a tie, decided without asking the judge";
    private static final Logger LOG = Logger.getLogger(ScoringService.class);

    private final JudgeModels models;
    private final JudgementCache cache;
    private final JudgeMetrics metrics;
    private final EndpointBackoff backoff;

    public ScoringService(JudgeModels models, JudgementCache cache, JudgeMetrics metrics, EndpointBackoff backoff) {
        this.models = models;
        this.cache = cache;
        this.metrics = metrics;
        this.backoff = backoff;
    }

    /**
     * @throws MalformedMessageException  when the request lacks an id or the prompt
     * @throws JudgeRejectedException     when the judge cannot be used or refuses the request
     * @throws EndpointDownException      when the endpoint does not answer: the request is to be set aside and tried again
     * @throws JudgeUnavailableException  when the endpoint has not answered for longer than its give-up time
     */
    public List<Score> judge(JudgeRequest request) {
        requireFields(request);
        JudgeModel model = models.forRun(request.judgeModel());
        LOG.debugf("judging sample %s with %s", request.sampleId(), model.endpoint());
        String answer = request.answer() == null ? "" : request.answer();
        Instant at = Instant.now();
        List<Score> scores = new ArrayList<>(3);
        if (request.baselineAnswer() != null) {
            scores.add(pairwise(request, model, answer, at));
        }
        scores.add(rubric(request, model, answer, at));
        if (request.reference() != null && !request.reference().isBlank()) {
            scores.add(reference(request, answer, at));
        }
        return scores;
    }

    private Score pairwise(JudgeRequest request, JudgeModel model, String answer, Instant at) {
        String judge = model.endpoint().judgeModel();
        if (answer.equals(request.baselineAnswer())) {
            return score(request, ScoreKind.PAIRWISE, Verdict.TIE, null, null, judge, JudgePrompts.PAIRWISE_VERSION,
                    List.of(IDENTICAL_ANSWERS), at);
        }
        Outcome<PairwiseChoice> answerFirst = ask(model,
                JudgePrompts.pairwise(request.earlierPrompts(), request.prompt(), answer, request.baselineAnswer(), JudgePrompts.ANSWER_FIRST), ReplyParser::pairwise);
        Outcome<PairwiseChoice> baselineFirst = ask(model,
                JudgePrompts.pairwise(request.earlierPrompts(), request.prompt(), request.baselineAnswer(), answer, JudgePrompts.BASELINE_FIRST), ReplyParser::pairwise);
        PairwiseVerdict verdict = PairwiseVerdict.of(answerFirst.value(), baselineFirst.value());
        List<String> raw = new ArrayList<>(answerFirst.labelled());
        raw.addAll(baselineFirst.labelled());
        return score(request, ScoreKind.PAIRWISE, verdict.verdict(), null, verdict.positionDisagreement(), judge,
                JudgePrompts.PAIRWISE_VERSION, raw, at);
    }

    private Score rubric(JudgeRequest request, JudgeModel model, String answer, Instant at) {
        Outcome<RubricGrade> outcome = ask(model, JudgePrompts.rubric(request.earlierPrompts(), request.prompt(), answer, request.reference()), ReplyParser::rubric);
        RubricGrade grade = outcome.value();
        return score(request, ScoreKind.RUBRIC, grade == null ? Verdict.UNPARSEABLE : Verdict.GRADED, grade == null ? null : grade.grade(),
                null, model.endpoint().judgeModel(), JudgePrompts.RUBRIC_VERSION, outcome.labelled(), at);
    }

    private Score reference(JudgeRequest request, String answer, Instant at) {
        ReferenceCheck.Result result = ReferenceCheck.check(answer, request.reference());
        return score(request, ScoreKind.REFERENCE, result.verdict(), null, null, ReferenceCheck.JUDGE, ReferenceCheck.VERSION,
                List.of(result.explanation()), at);
    }

    private <T> Outcome<T> ask(JudgeModel model, JudgePrompt prompt, Function<String, ParsedReply<T>> parser) {
        JudgementCache.Lookup lookup = cache.getOrJudge(JudgementCache.key(model.endpoint(), prompt), () -> replies(model, prompt, parser));
        metrics.cache(!lookup.judged());
        List<String> replies = lookup.replies();
        return new Outcome<>(parser.apply(replies.get(replies.size() - 1)).value(), replies, prompt.order());
    }

    /** The judge's replies to a prompt: one, or two when the first could not be read. */
    private <T> List<String> replies(JudgeModel model, JudgePrompt prompt, Function<String, ParsedReply<T>> parser) {
        String first = call(model, prompt, null);
        ParsedReply<T> parsed = parser.apply(first);
        if (parsed.readable()) {
            return List.of(first);
        }
        metrics.unreadableReply(prompt.kind());
        LOG.debugf("unreadable %s reply (%s); asking once more", prompt.kind(), parsed.problem());
        String second = call(model, prompt, new RejectedReply(first, parsed.problem()));
        parsed = parser.apply(second);
        if (!parsed.readable()) {
            metrics.unreadableReply(prompt.kind());
            LOG.infof("%s reply from %s unreadable twice (%s): stored UNPARSEABLE", prompt.kind(), model.endpoint().judgeModel(), parsed.problem());
        }
        return List.of(first, second);
    }

    /** One reply from the judge; a call that gets no answer makes the endpoint wait before it is asked again. */
    private String call(JudgeModel model, JudgePrompt prompt, RejectedReply rejected) {
        backoff.beforeCall(model.endpoint());
        long started = System.nanoTime();
        try {
            String reply = model.reply(prompt, rejected);
            metrics.call(model.endpoint().provider(), prompt.kind(), Duration.ofNanos(System.nanoTime() - started));
            backoff.answered(model.endpoint());
            return reply;
        } catch (JudgeUnavailableException e) {
            metrics.endpointFailure(model.endpoint().provider());
            throw backoff.failed(model.endpoint(), e);
        }
    }

    private static void requireFields(JudgeRequest request) {
        List<String> missing = new ArrayList<>();
        if (request.runId() == null) {
            missing.add("runId");
        }
        if (request.trialId() == null) {
            missing.add("trialId");
        }
        if (request.sampleId() == null) {
            missing.add("sampleId");
        }
        if (request.prompt() == null) {
            missing.add("prompt");
        }
        if (!missing.isEmpty()) {
            throw new MalformedMessageException("JudgeRequest without " + String.join(", ", missing));
        }
    }

    private static Score score(JudgeRequest request, ScoreKind kind, Verdict verdict, Double grade, Boolean disagreement, String judge,
            String version, List<String> raw, Instant at) {
        return new Score(SchemaVersion.CURRENT, Score.idOf(request.sampleId(), kind), request.runId(), request.trialId(), request.sampleId(),
                kind, verdict, grade, disagreement, judge, version, List.copyOf(raw), at);
    }

    /** A judge call's reading and the replies it took, each labelled with the order and attempt when stored. */
    private record Outcome<T>(T value, List<String> replies, String order) {
        List<String> labelled() {
            return IntStream.range(0, replies.size()).mapToObj(i -> order + " #" + (i + 1) + ": " + replies.get(i)).toList();
        }
    }
}
