package dev.optbench.judge.models;

import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.judge.config.JudgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The judge models of this service: the configured default and those that runs name, built once per
 * endpoint. The configured API key goes to the default endpoint only, so a run spec cannot send it elsewhere.
 */
@ApplicationScoped
public class ConfiguredJudgeModels implements JudgeModels {
    private static final Logger LOG = Logger.getLogger(ConfiguredJudgeModels.class);
    private final JudgeEndpoint defaultEndpoint;
    private final ModelSettings settings;
    private final Map<JudgeEndpoint, JudgeModel> models = new ConcurrentHashMap<>();

    @Inject
    public ConfiguredJudgeModels(JudgeConfig config) {
        this(config.provider(), config.baseUrl(), config.model(), config.apiKey().filter(key -> !key.isBlank()).orElse(null),
                new ModelSettings(config.timeout(), config.connectTimeout(), config.maxTokens(), config.temperature(), config.seed()));
    }

    /** @param apiKey null for none */
    public ConfiguredJudgeModels(String provider, String baseUrl, String model, String apiKey, ModelSettings settings) {
        JudgeEndpoint configured = endpointOf(provider, baseUrl, model, null);
        this.defaultEndpoint = new JudgeEndpoint(configured.provider(), configured.baseUrl(), configured.model(), apiKey);
        this.settings = settings;
    }

    @Override
    public JudgeEndpoint defaultEndpoint() {
        return defaultEndpoint;
    }

    @Override
    public JudgeModel forRun(JudgeModelSpec spec) {
        JudgeEndpoint endpoint = spec == null ? defaultEndpoint : endpointOf(spec.provider(), spec.baseUrl(), spec.model(), defaultEndpoint);
        return models.computeIfAbsent(endpoint, this::build);
    }

    private JudgeModel build(JudgeEndpoint endpoint) {
        LOG.debugf("judge model %s", endpoint);
        return LangChain4jJudgeModel.create(endpoint, settings);
    }

    /**
     * Checks a judge named by a run or by configuration.
     *
     * @param keyHolder the default endpoint, whose key is reused when the spec names that same endpoint
     */
    static JudgeEndpoint endpointOf(String provider, String baseUrl, String model, JudgeEndpoint keyHolder) {
        String kind = provider == null ? "" : provider.strip().toLowerCase(Locale.ROOT);
        if (!kind.equals(JudgeEndpoint.OLLAMA) && !kind.equals(JudgeEndpoint.OPENAI)) {
            throw new JudgeRejectedException("judgeModel.provider must be 'ollama' or 'openai', not '" + provider + "'");
        }
        if (model == null || model.isBlank()) {
            throw new JudgeRejectedException("judgeModel.model is missing");
        }
        String url = normaliseUrl(baseUrl);
        String key = keyHolder != null && keyHolder.provider().equals(kind) && keyHolder.baseUrl().equals(url) ? keyHolder.apiKey() : null;
        return new JudgeEndpoint(kind, url, model.strip(), key);
    }

    private static String normaliseUrl(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new JudgeRejectedException("judgeModel.baseUrl is missing");
        }
        try {
            URI uri = new URI(baseUrl.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getUserInfo() != null) {
                throw new JudgeRejectedException("judgeModel.baseUrl must be an http(s) URL with a host and no credentials, not '" + baseUrl + "'");
            }
            String text = uri.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (URISyntaxException e) {
            throw new JudgeRejectedException("judgeModel.baseUrl is not a URL: " + e.getMessage(), e);
        }
    }
}
