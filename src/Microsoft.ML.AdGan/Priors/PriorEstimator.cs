using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Priors;

/// <summary>
/// Estimates the synthetic-mask priors (semi-axis range, nuclei per patch) and a working scale from unlabeled images:
/// each image is segmented roughly with the classical baseline machinery (blur, Otsu or Li threshold, hole filling,
/// distance-transform watershed with the peak spacing set from a first, unsplit pass), objects touching the border or far
/// from the image's median area are discarded, and robust percentiles of the remaining major semi-axes (second moments)
/// and of the nuclei counted per patch position give the ranges. No annotation is used.
/// </summary>
public sealed class PriorEstimator
{
    private readonly PriorEstimationOptions _options;

    /// <summary>Creates the estimator (null: defaults); throws <see cref="ArgumentException"/> for an invalid option.</summary>
    public PriorEstimator(PriorEstimationOptions? options = null)
    {
        _options = (options ?? new PriorEstimationOptions()).Clone();
        _options.Validate();
    }

    /// <summary>A copy of the options in use.</summary>
    public PriorEstimationOptions Options => _options.Clone();

    /// <summary>
    /// Reads every supported image of <paramref name="imageFolder"/> (see <see cref="MicroscopyImageReader.ListFiles"/>) and
    /// estimates the priors. Throws <see cref="DirectoryNotFoundException"/> for a missing folder and
    /// <see cref="MicroscopyImageException"/> naming the folder when it holds no image, or naming the file that cannot be read.
    /// <paramref name="progress"/>, when given, is called with the number of images measured and the total: with 0 before the
    /// first image, then after each.
    /// </summary>
    public EstimatedPriors EstimateFromFolder(string imageFolder, Action<int, int>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageFolder);
        var files = MicroscopyImageReader.ListFiles(imageFolder, _options.Recursive);
        if (files.Count == 0)
            throw new MicroscopyImageException(imageFolder, $"the folder holds no image file ({string.Join(", ", MicroscopyImageReader.SupportedExtensions)}).");
        var measurements = new List<ImageNucleusMeasurement>(files.Count);
        progress?.Invoke(0, files.Count);
        foreach (var file in files)
        {
            measurements.Add(MeasureFile(file));
            progress?.Invoke(measurements.Count, files.Count);
        }

        return Combine(measurements);
    }

    /// <summary>Reads one 2D image file (a single-page stack counts) and measures its nuclei; throws <see cref="MicroscopyImageException"/> naming the file.</summary>
    public ImageNucleusMeasurement MeasureFile(string file)
    {
        var image = MicroscopyImageReader.Read(file, _options.ReadOptions);
        if (image.Shape.Is3D)
        {
            if (image.Shape.Depth != 1)
                throw new MicroscopyImageException(file, $"is a {image.Shape} volume; prior estimation supports 2D images only.");
            image = new ImageBuffer<float>(image.Data, ImageShape.Of2D(image.Shape.Height, image.Shape.Width), image.VoxelSize);
        }

        return MeasureImage(image, file);
    }

    /// <summary>Estimates the priors from in-memory 2D images (any intensity range); <paramref name="names"/> labels them in the table.</summary>
    public EstimatedPriors Estimate(IReadOnlyList<ImageBuffer<float>> images, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
            throw new ArgumentException("At least one image is needed to estimate priors.", nameof(images));
        if (names is not null && names.Count != images.Count)
            throw new ArgumentException($"{names.Count} names for {images.Count} images.", nameof(names));
        var measurements = new List<ImageNucleusMeasurement>(images.Count);
        for (int i = 0; i < images.Count; i++)
            measurements.Add(MeasureImage(images[i] ?? throw new ArgumentException($"Image {i} is null.", nameof(images)), names?[i] ?? $"image {i}"));
        return Combine(measurements);
    }

    /// <summary>Roughly segments one 2D image and measures its nuclei (sizes in the image's own pixels).</summary>
    public ImageNucleusMeasurement MeasureImage(ImageBuffer<float> image, string name)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(name);
        if (image.Shape.Is3D)
            throw new ArgumentException($"Image '{name}' is a {image.Shape} volume; prior estimation supports 2D images only.", nameof(image));
        var (low, high) = _options.SemiAxisPercentiles;
        int height = image.Shape.Height, width = image.Shape.Width;
        double rough = RoughRadius(image);
        if (double.IsNaN(rough))
            return new ImageNucleusMeasurement(name, height, width, 1, rough, Array.Empty<double>(), Array.Empty<double>(), Array.Empty<double>(), Array.Empty<double>(), low, high);

        double scale = _options.AnalysisRadius is double target && rough > target ? target / rough : 1.0;
        var work = scale < 1 ? ImageResampler.Rescale(image, scale) : image;
        double scaleY = (double)work.Shape.Height / height, scaleX = (double)work.Shape.Width / width;
        double linear = Math.Sqrt(scaleY * scaleX);
        int markerRadius = Math.Max(1, (int)Math.Round(_options.MarkerSpacing * rough * linear));
        var segmenter = new ThresholdSegmentation(new ThresholdSegmentationOptions
        {
            Method = _options.Method,
            BlurSigma = _options.BlurSigma,
            MarkerRadius = markerRadius,
            MinObjectSize = _options.MinArea,
            FillHoles = true,
            DistanceJitter = 0, // the measurement the priors were tuned with: no jitter, markers a marker radius apart
            PeakSpacing = null,
        });
        var shapes = ObjectShapes.Measure(segmenter.Segment(work)).Where(s => s.Area >= _options.MinArea).ToList();
        if (shapes.Count == 0)
            return new ImageNucleusMeasurement(name, height, width, linear, rough, Array.Empty<double>(), Array.Empty<double>(), Array.Empty<double>(), Array.Empty<double>(), low, high);

        var interior = shapes.Where(s => !s.TouchesBorder).ToList();
        var areas = Quantiles.Sorted((interior.Count > 0 ? interior : shapes).Select(s => (double)s.Area));
        double medianArea = Quantiles.OfSorted(areas, 50);
        double minArea = _options.MinRelativeArea * medianArea, maxArea = _options.MaxRelativeArea * medianArea;
        var semiAxes = interior.Where(s => s.Area >= minArea && s.Area <= maxArea).Select(s => s.SemiMajorAxis / linear).ToArray();
        var counted = shapes.Where(s => s.Area >= minArea).ToList();
        var cy = counted.Select(s => (s.CentroidY + 0.5) / scaleY - 0.5).ToArray();
        var cx = counted.Select(s => (s.CentroidX + 0.5) / scaleX - 0.5).ToArray();
        var weights = counted.Select(s => s.Area > maxArea ? Math.Round(s.Area / medianArea) : 1.0).ToArray();
        return new ImageNucleusMeasurement(name, height, width, linear, rough, semiAxes, cy, cx, weights, low, high);
    }

    /// <summary>
    /// The working scale that brings <paramref name="medianSemiAxis"/> (pixels) to <paramref name="targetRadius"/>:
    /// targetRadius / medianSemiAxis, or 1 when the target is null or the median unknown.
    /// </summary>
    public static double RecommendScale(double medianSemiAxis, double? targetRadius)
    {
        if (targetRadius is not double t)
            return 1.0;
        if (!(t > 0) || !double.IsFinite(t))
            throw new ArgumentOutOfRangeException(nameof(targetRadius), t, "The target radius must be positive and finite.");
        return medianSemiAxis > 0 && double.IsFinite(medianSemiAxis) ? t / medianSemiAxis : 1.0;
    }

    /// <summary>Pools per-image measurements into the recommended priors (the scale, then the ranges at that scale).</summary>
    public EstimatedPriors Combine(IReadOnlyList<ImageNucleusMeasurement> measurements) => Combine(measurements, perImageScale: false);

    /// <summary>
    /// As <see cref="Combine(IReadOnlyList{ImageNucleusMeasurement})"/>; with <paramref name="perImageScale"/> the ranges describe
    /// every image at its own scale (the factor that brings its median to the target radius, which is then required),
    /// as training and inference see the images when each is brought to the trained nucleus size.
    /// </summary>
    public EstimatedPriors Combine(IReadOnlyList<ImageNucleusMeasurement> measurements, bool perImageScale)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        if (measurements.Count == 0)
            throw new ArgumentException("At least one image measurement is needed.", nameof(measurements));
        var (low, high) = _options.SemiAxisPercentiles;
        var pooled = SemiAxisStatistics.From(measurements.SelectMany(m => m.SemiAxes), low, high);
        if (pooled.Count == 0)
            throw new InvalidOperationException(
                $"No nucleus could be measured in the {measurements.Count} image(s) ({string.Join(", ", measurements.Take(3).Select(m => m.Name))}{(measurements.Count > 3 ? ", ..." : "")}): " +
                "they look empty or flat to the threshold, or every object touches the border.");
        double scale = RecommendScale(pooled.Median, _options.TargetRadius);
        if (perImageScale && _options.TargetRadius is null)
            throw new InvalidOperationException("Priors at each image's own scale need a TargetRadius, the nucleus size every image is brought to.");
        var scaling = new ImageScaling(scale, perImageScale ? _options.TargetRadius : null);
        var imageScales = measurements.Select(m => scaling.ForMedian(m.Statistics.Median)).ToArray();
        var scaled = perImageScale
            ? SemiAxisStatistics.From(measurements.SelectMany((m, i) => m.SemiAxes.Select(a => a * imageScales[i])), low, high)
            : pooled.Scaled(scale);
        int aMin = Math.Max(1, (int)Math.Round(scaled.Low));
        int aMax = Math.Max(aMin + 1, (int)Math.Round(scaled.High) + 1);
        var counts = Quantiles.Sorted(measurements.SelectMany((m, i) => CountsPerPatch(m, _options.PatchSize / imageScales[i])));
        var (cLow, cHigh) = _options.CountPercentiles;
        double qLow = Quantiles.OfSorted(counts, cLow), qMedian = Quantiles.OfSorted(counts, 50), qHigh = Quantiles.OfSorted(counts, cHigh);
        int nMin = Math.Max(0, (int)Math.Floor(qLow));
        int nMax = Math.Max(Math.Max(1, nMin), (int)Math.Ceiling(qHigh));
        var images = measurements.Select(m => new ImagePriorSummary(m.Name, m.Height, m.Width, m.ObjectCount, m.Statistics)).ToList();
        return new EstimatedPriors(_options.PatchSize, _options.TargetRadius, scale, (aMin, aMax), (nMin, nMax), pooled,
            new CountStatistics(counts.Length, qMedian, qLow, qHigh, cLow, cHigh), images);
    }

    /// <summary>Nuclei counted (by centre) in every half-overlapping square window of side <paramref name="window"/> image pixels, normalised to the full window area when the image is smaller.</summary>
    internal static IEnumerable<double> CountsPerPatch(ImageNucleusMeasurement m, double window)
    {
        double wy = Math.Min(window, m.Height), wx = Math.Min(window, m.Width);
        double factor = window * window / (wy * wx);
        foreach (double y0 in Starts(m.Height, wy))
        {
            foreach (double x0 in Starts(m.Width, wx))
            {
                double sum = 0;
                for (int i = 0; i < m.Weights.Length; i++)
                {
                    double y = m.CenterY[i] + 0.5, x = m.CenterX[i] + 0.5;
                    if (y >= y0 && y < y0 + wy && x >= x0 && x < x0 + wx)
                        sum += m.Weights[i];
                }

                yield return sum * factor;
            }
        }
    }

    private static IEnumerable<double> Starts(int size, double window)
    {
        double last = size - window;
        if (last <= 1e-9)
        {
            yield return 0;
            yield break;
        }

        int steps = (int)Math.Ceiling(last / (window / 2));
        for (int i = 0; i <= steps; i++)
            yield return last * i / steps;
    }

    /// <summary>
    /// Rough nucleus radius: on the blurred, thresholded, hole-filled image, the maximum of the distance transform in each
    /// connected component (about the radius of a nucleus even when nuclei touch), median weighted by component area.
    /// </summary>
    private double RoughRadius(ImageBuffer<float> image)
    {
        var method = _options.Method == ThresholdMethod.Li ? ThresholdMethod.Li : ThresholdMethod.Otsu;
        var foreground = ThresholdSegmentation.Foreground(image, _options.BlurSigma, method, fillHoles: true);
        if (foreground is null)
            return double.NaN;
        var components = ConnectedComponents.Label(foreground, Connectivity.Full, out int count);
        if (count == 0)
            return double.NaN;
        var dist = DistanceTransform.Euclidean(foreground);
        var peak = new double[count + 1];
        var area = new double[count + 1];
        for (int i = 0; i < foreground.Data.Length; i++)
        {
            uint l = components.Data[i];
            if (l == 0)
                continue;
            area[l]++;
            if (dist.Data[i] > peak[l])
                peak[l] = dist.Data[i];
        }

        var items = Enumerable.Range(1, count).Where(l => area[l] >= _options.MinArea).Select(l => (Radius: peak[l], Weight: area[l])).OrderBy(p => p.Radius).ToList();
        if (items.Count == 0)
            return double.NaN;
        double half = items.Sum(p => p.Weight) / 2, acc = 0;
        foreach (var (radius, weight) in items)
        {
            acc += weight;
            if (acc >= half)
                return radius;
        }

        return items[^1].Radius;
    }
}
