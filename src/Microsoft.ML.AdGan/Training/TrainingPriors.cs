using System.Globalization;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Priors;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Applies <see cref="AdGanTrainerOptions.PriorEstimation"/>: estimates the synthetic-mask priors (and the working scale when a
/// target radius is set) from the unlabeled training images, so a run needs no hand-set nucleus size or count.
/// </summary>
internal static class TrainingPriors
{
    /// <summary>
    /// Returns <paramref name="options"/> itself when it asks for no estimation; otherwise a copy whose Masks.SemiAxis,
    /// Masks.CountPerPatch (per CropSize crop) and, with a TargetRadius, ImageScale come from <paramref name="rawImages"/>
    /// (2D, any intensity range, at their own scale; read one at a time). Without a TargetRadius the images are measured at
    /// the options' ImageScale, which is kept. <paramref name="log"/> receives one summary line.
    /// </summary>
    public static AdGanTrainerOptions Resolve(AdGanTrainerOptions options, IEnumerable<(string Name, ImageBuffer<float> Image)> rawImages, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rawImages);
        if (options.PriorEstimation is null)
            return options;
        if (options.Dimensions != 2)
            throw new ArgumentException($"PriorEstimation supports 2D training only; Dimensions is {options.Dimensions}.", nameof(options));
        var estimation = options.PriorEstimation.Clone();
        estimation.PatchSize = options.CropSize;
        var estimator = new PriorEstimator(estimation);
        bool fixedScale = estimation.TargetRadius is null;
        var measurements = new List<ImageNucleusMeasurement>();
        foreach (var (name, raw) in rawImages)
        {
            var image = raw.Shape.Is3D && raw.Shape.Depth == 1 ? new ImageBuffer<float>(raw.Data, ImageShape.Of2D(raw.Shape.Height, raw.Shape.Width)) : raw;
            if (fixedScale && options.ImageScale != 1.0)
                image = ImageResampler.Rescale(image, options.ImageScale);
            measurements.Add(estimator.MeasureImage(image, name));
        }

        var priors = estimator.Combine(measurements, options.PerImageScale);
        var resolved = options.CloneWithOwnMasks();
        resolved.Masks.SemiAxis = priors.SemiAxis;
        resolved.Masks.CountPerPatch = priors.CountPerPatch;
        if (!fixedScale)
            resolved.ImageScale = priors.ImageScale;
        resolved.Validate();
        string scale = string.Create(CultureInfo.InvariantCulture, $"working scale {resolved.ImageScale:G4}");
        if (options.PerImageScale)
        {
            var scaling = resolved.Scaling();
            var scales = measurements.Select(m => scaling.ForMedian(m.Statistics.Median)).ToList();
            scale = string.Create(CultureInfo.InvariantCulture, $"each image at its own scale, {scales.Min():G3}-{scales.Max():G3} (collection {resolved.ImageScale:G4})");
        }

        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"Priors estimated from {measurements.Count} images ({priors.ObjectsMeasured} nuclei measured, median semi-axis {priors.Measured.Median:F1} px): {scale}, SemiAxis [{priors.SemiAxis.Min}, {priors.SemiAxis.Max}), {priors.CountPerPatch.Min}-{priors.CountPerPatch.Max} nuclei per {options.CropSize}-pixel crop."));
        return resolved;
    }
}
