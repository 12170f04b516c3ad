package dev.optbench.viz.rest;

import dev.optbench.viz.charts.ChartFormat;
import dev.optbench.viz.charts.ChartNotFoundException;
import dev.optbench.viz.charts.Figure;
import dev.optbench.viz.charts.FigureWriter;
import dev.optbench.viz.charts.SearchProgressChart;
import dev.optbench.viz.config.VizConfig;
import dev.optbench.viz.runs.RunIds;
import dev.optbench.viz.searches.SearchRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A search's progress chart: {@code /api/searches/{id}/charts/progress.png}, {@code .svg}, {@code .csv}, {@code .json}. */
@Path("/api/searches/{searchId}/charts")
@Tag(name = "charts")
public class SearchChartResource {
    private final SearchRepository searches;
    private final VizConfig config;

    public SearchChartResource(SearchRepository searches, VizConfig config) {
        this.searches = searches;
        this.config = config;
    }

    @GET
    @Path("/{file}")
    @Operation(summary = "A search's progress: best objective meeting the constraints against trials spent, as .png, .svg, .csv or .json")
    public Response chart(@PathParam("searchId") String searchId, @PathParam("file") String file, @QueryParam("dpi") Integer dpi) {
        UUID id = RunIds.parse(searchId);
        int dot = file.lastIndexOf('.');
        if (dot < 0 || !file.substring(0, dot).equals("progress")) {
            throw new ChartNotFoundException("no search chart '" + file + "'; ask for progress.png, .svg, .csv or .json");
        }
        ChartFormat format = ChartFormat.ofExtension(file.substring(dot + 1))
                .orElseThrow(() -> new ChartNotFoundException("'" + file + "': ask for progress.png, .svg, .csv or .json"));
        SearchRepository.StoredSearch search = searches.find(id).orElseThrow(() -> new ChartNotFoundException("no search with id " + id));
        if (search.result() == null) {
            throw new ChartNotFoundException("search " + id + " has no result yet");
        }
        Figure figure = SearchProgressChart.build(search.name(), search.result());
        int chosenDpi = dpi == null ? config.defaultDpi() : Math.max(config.minDpi(), Math.min(config.maxDpi(), dpi));
        Object body = switch (format) {
            case PNG -> FigureWriter.png(figure, chosenDpi);
            case SVG -> FigureWriter.svg(figure);
            case CSV -> figure.data().toCsv();
            case JSON -> Map.of("chart", "search-progress", "search", id, "columns", figure.data().columns(), "rows", figure.data().records());
        };
        return Response.ok(body, format.mediaType)
                .header("Content-Disposition", "inline; filename=\"search-progress." + format.extension + "\"")
                .header("Cache-Control", "no-cache")
                .build();
    }
}
