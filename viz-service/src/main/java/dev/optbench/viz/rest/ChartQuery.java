package dev.optbench.viz.rest;

import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters every chart takes; each chart uses those that apply to it.
 */
public class ChartQuery {
    @QueryParam("dpi")
    @Parameter(description = "PNG resolution in dots per inch (default 150; 300 for print)")
    String dpi;

    @QueryParam("variants")
    @Parameter(description = "variants to keep, repeated or comma-separated; the baseline is always kept")
    List<String> variants;

    @QueryParam("metric")
    @Parameter(description = "the figure of the ablation, progress and history charts, e.g. generationTokensPerSecond")
    String metric;

    @QueryParam("metric2")
    @Parameter(description = "the ablation chart's figure on a second axis, e.g. peakGpuMemoryMb")
    String metric2;

    @QueryParam("axis")
    @Parameter(description = "the ablation chart's swept flag, e.g. --ctx-size (default: the first swept flag)")
    String axis;

    @QueryParam("quality")
    @Parameter(description = "the Pareto chart's quality figure: judgeWinRate, klDivergence, rubricGrade, …")
    String quality;

    @QueryParam("target")
    @Parameter(description = "the progress chart's target in the metric's unit, e.g. 60 (tok/s)")
    String target;
}
