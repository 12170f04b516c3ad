package dev.optbench.orchestrator.searches.strategy;

import java.util.List;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.linear.DecompositionSolver;

/**
 * Gaussian-process regression over encoded configurations: a squared-exponential kernel plus a linear one (flags
 * often act additively on log speed), observation noise, and the targets standardised. The hyperparameters are
 * the ones of a small grid with the highest marginal likelihood. Hipparchus does the linear algebra.
 */
public final class GaussianProcess {
    private static final double[] LENGTH_SCALES = {0.7, 1.0, 1.5, 2.5, 4.0};
    private static final double[] NOISE_VARIANCES = {0.01, 0.05, 0.2};
    private static final double[] LINEAR_WEIGHTS = {0.0, 0.3};
    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

    private final double[][] x;
    private final double mean;
    private final double scale;
    private final Hyper hyper;
    private final DecompositionSolver solver;
    private final RealVector alpha;

    /** The kernel's settings. */
    public record Hyper(double lengthScale, double noiseVariance, double linearWeight) {
    }

    /** A prediction in the targets' own units. */
    public record Prediction(double mean, double sd) {
    }

    private GaussianProcess(double[][] x, double mean, double scale, Hyper hyper, DecompositionSolver solver, RealVector alpha) {
        this.x = x;
        this.mean = mean;
        this.scale = scale;
        this.hyper = hyper;
        this.solver = solver;
        this.alpha = alpha;
    }

    /** Fits the hyperparameters by marginal likelihood over the grid, then the process. */
    public static GaussianProcess fit(List<double[]> inputs, List<Double> targets) {
        GaussianProcess best = null;
        double bestLikelihood = Double.NEGATIVE_INFINITY;
        for (double length : LENGTH_SCALES) {
            for (double noise : NOISE_VARIANCES) {
                for (double linear : LINEAR_WEIGHTS) {
                    GaussianProcess candidate = fit(inputs, targets, new Hyper(length, noise, linear));
                    double likelihood = candidate.logMarginalLikelihood();
                    if (likelihood > bestLikelihood) {
                        bestLikelihood = likelihood;
                        best = candidate;
                    }
                }
            }
        }
        return best;
    }

    public static GaussianProcess fit(List<double[]> inputs, List<Double> targets, Hyper hyper) {
        int n = inputs.size();
        double[][] x = inputs.toArray(new double[0][]);
        double mean = targets.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double variance = targets.stream().mapToDouble(t -> (t - mean) * (t - mean)).sum() / Math.max(1, n - 1);
        double scale = variance > 1e-12 ? Math.sqrt(variance) : 1.0;
        RealMatrix k = MatrixUtils.createRealMatrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double value = kernel(x[i], x[j], hyper) + (i == j ? hyper.noiseVariance() + 1e-9 : 0);
                k.setEntry(i, j, value);
                k.setEntry(j, i, value);
            }
        }
        RealVector y = MatrixUtils.createRealVector(new double[n]);
        for (int i = 0; i < n; i++) {
            y.setEntry(i, (targets.get(i) - mean) / scale);
        }
        CholeskyDecomposition cholesky = new CholeskyDecomposition(k, 1e-9, 1e-12);
        DecompositionSolver solver = cholesky.getSolver();
        GaussianProcess process = new GaussianProcess(x, mean, scale, hyper, solver, solver.solve(y));
        process.logDeterminant = 0;
        RealMatrix l = cholesky.getL();
        for (int i = 0; i < n; i++) {
            process.logDeterminant += 2 * Math.log(l.getEntry(i, i));
        }
        process.standardised = y;
        return process;
    }

    private double logDeterminant;
    private RealVector standardised;

    double logMarginalLikelihood() {
        return -0.5 * standardised.dotProduct(alpha) - 0.5 * logDeterminant - 0.5 * x.length * Math.log(2 * Math.PI);
    }

    public Hyper hyper() {
        return hyper;
    }

    public Prediction predict(double[] point) {
        int n = x.length;
        RealVector k = MatrixUtils.createRealVector(new double[n]);
        for (int i = 0; i < n; i++) {
            k.setEntry(i, kernel(point, x[i], hyper));
        }
        double mu = k.dotProduct(alpha);
        double variance = kernel(point, point, hyper) - k.dotProduct(solver.solve(k));
        return new Prediction(mean + mu * scale, Math.sqrt(Math.max(variance, 1e-12)) * scale);
    }

    /** Expected improvement over {@code best} (larger targets are better). */
    public static double expectedImprovement(Prediction p, double best) {
        double gap = p.mean() - best;
        double z = gap / p.sd();
        return gap * NORMAL.cumulativeProbability(z) + p.sd() * NORMAL.density(z);
    }

    /** The probability that the target lies below {@code limit}. */
    public static double probabilityBelow(Prediction p, double limit) {
        return NORMAL.cumulativeProbability((limit - p.mean()) / p.sd());
    }

    private static double kernel(double[] a, double[] b, Hyper hyper) {
        double squared = 0;
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            squared += d * d;
            dot += a[i] * b[i];
        }
        return Math.exp(-squared / (2 * hyper.lengthScale() * hyper.lengthScale())) + hyper.linearWeight() * dot;
    }
}
