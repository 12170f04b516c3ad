package dev.optbench.judge.models;

/**
 * Where a judge model answers.
 *
 * @param provider {@code ollama} or {@code openai}
 * @param apiKey   null unless this is the configured default endpoint and a key is configured
 */
public record JudgeEndpoint(String provider, String baseUrl, String model, String apiKey) {
    public static final String OLLAMA = "ollama";
    public static final String OPENAI = "openai";

    /** The judge as stored with each score: provider and model, never the URL or the key. */
    public String judgeModel() {
        return provider + ":" + model;
    }

    /** What makes two endpoints the same judge for the cache. */
    public String identity() {
        return provider + "|" + baseUrl + "|" + model;
    }

    @Override
    public String toString() {
        return judgeModel() + " at " + baseUrl;
    }
}
