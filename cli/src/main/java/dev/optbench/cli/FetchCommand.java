package dev.optbench.cli;

import dev.optbench.contracts.hub.ModelHub;
import dev.optbench.contracts.spec.ModelRef;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Downloads an {@code hf:} model into the hub cache the workers read, the way a worker would before a trial. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download an hf:<user>/<repo>[:<quant>] model from the model hub into the workers' hub cache, the file a "
                + "trial of that ref would load (the quant picked as llama-server -hf picks it; every part of a split model). "
                + "Progress goes to standard error, the model file's path to standard output.",
                "The token of a gated or private repository is read from OPTBENCH_MODEL_HUB_TOKEN."})
final class FetchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "hf:USER/REPO[:QUANT]")
    String ref;

    @Option(names = "--hub", defaultValue = "${env:OPTBENCH_MODEL_HUB_URL}",
            description = "the Hugging Face-compatible hub (default: $OPTBENCH_MODEL_HUB_URL)")
    String hub;

    @Option(names = "--cache", defaultValue = "${env:OPTBENCH_MODEL_HUB_CACHE}",
            description = "the hub cache directory the workers read (default: $OPTBENCH_MODEL_HUB_CACHE)")
    Path cache;

    @Override
    public Integer call() {
        ModelRef parsed;
        try {
            parsed = ModelRef.parse(ref);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ref + " " + e.getMessage(), e);
        }
        if (parsed.kind() != ModelRef.Kind.HF) {
            throw new IllegalArgumentException(ref + " is not an hf:<user>/<repo>[:<quant>] ref: a file or synthetic:tiny needs no download");
        }
        if (hub == null || hub.isBlank()) {
            throw new IllegalArgumentException("no model hub: set OPTBENCH_MODEL_HUB_URL (e.g. https://huggingface.co) or pass --hub");
        }
        if (cache == null) {
            throw new IllegalArgumentException("no hub cache: set OPTBENCH_MODEL_HUB_CACHE or pass --cache");
        }
        PrintStream err = System.err;
        long[] last = {0};
        ModelHub.Fetched fetched = new ModelHub(URI.create(hub), Optional.ofNullable(System.getenv("OPTBENCH_MODEL_HUB_TOKEN")),
                Duration.ofSeconds(60), Duration.ofSeconds(120))
                .fetch(parsed.hfRepo(), parsed.hfQuant(), cache, (file, done, total) -> {
                    if (done == total || System.nanoTime() - last[0] > 2_000_000_000L) {
                        last[0] = System.nanoTime();
                        err.printf(Locale.ROOT, "downloading %s: %.1f%s MB%n", file, done / 1e6,
                                total > 0 ? String.format(Locale.ROOT, " of %.1f", total / 1e6) : "");
                    }
                }, () -> false);
        err.printf(Locale.ROOT, "%s at commit %s: %s%n", ref, fetched.commit(),
                fetched.downloadedBytes() > 0 ? String.format(Locale.ROOT, "downloaded %.1f MB", fetched.downloadedBytes() / 1e6) : "already in the cache");
        System.out.println(fetched.model());
        return 0;
    }
}
