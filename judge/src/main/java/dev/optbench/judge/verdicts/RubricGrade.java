package dev.optbench.judge.verdicts;

/**
 * A rubric judgement: each criterion 1–10. The grade is their mean, so one number summarises the four
 * without the judge inventing a fifth, unexplained "overall" figure.
 */
public record RubricGrade(int helpfulness, int correctness, int relevance, int fluency) {

    public double grade() {
        return (helpfulness + correctness + relevance + fluency) / 4.0;
    }
}
