using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.PostProcessing;

namespace Microsoft.ML.AdGan.Evaluation;

/// <summary>
/// Scores predicted label maps (or binary masks) against truth, 2D or 3D: pixel Dice, IoU, precision and recall; AJI;
/// object precision, recall and F1 at IoU &gt; 0.5 and mean F1 over 0.5:0.05:0.95; panoptic quality; CTC SEG.
/// </summary>
public sealed class SegmentationEvaluator
{
    private readonly SegmentationEvaluatorOptions _options;

    /// <summary>Creates an evaluator (null options: instance label maps on both sides).</summary>
    public SegmentationEvaluator(SegmentationEvaluatorOptions? options = null)
    {
        _options = options ?? new SegmentationEvaluatorOptions();
    }

    /// <summary>Scores one image; <paramref name="name"/> names it in errors and in the per-image rows.</summary>
    public ImageSegmentationMetrics EvaluateImage(ImageBuffer<uint> truth, ImageBuffer<uint> predicted, string name = "image")
    {
        ArgumentNullException.ThrowIfNull(truth, nameof(truth));
        ArgumentNullException.ThrowIfNull(predicted, nameof(predicted));
        if (truth.Shape != predicted.Shape)
            throw new ArgumentException($"Image '{name}': prediction is {predicted.Shape} but truth is {truth.Shape}.", nameof(predicted));
        if (truth.Data.Length == 0)
            throw new ArgumentException($"Image '{name}' is empty.", nameof(truth));
        uint[] t = Prepare(truth, _options.TruthKind);
        uint[] p = Prepare(predicted, _options.PredictedKind);
        return new ImageSegmentationMetrics(name, Count(t, p));
    }

    /// <summary>Scores one image given as float maps, whose values must be whole numbers (as label maps read from float tensors).</summary>
    public ImageSegmentationMetrics EvaluateImage(ImageBuffer<float> truth, ImageBuffer<float> predicted, string name = "image")
    {
        ArgumentNullException.ThrowIfNull(truth, nameof(truth));
        ArgumentNullException.ThrowIfNull(predicted, nameof(predicted));
        return EvaluateImage(LabelMaps.FromFloat(truth, $"truth of image '{name}'"), LabelMaps.FromFloat(predicted, $"prediction of image '{name}'"), name);
    }

    /// <summary>Scores a dataset of (name, truth, prediction) images: means over images, pooled figures and per-image rows.</summary>
    public SegmentationMetrics Evaluate(IEnumerable<(string Name, ImageBuffer<uint> Truth, ImageBuffer<uint> Predicted)> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var rows = new List<ImageSegmentationMetrics>();
        foreach (var (name, truth, predicted) in images)
            rows.Add(EvaluateImage(truth, predicted, name));
        if (rows.Count == 0)
            throw new ArgumentException("The dataset has no image to evaluate.", nameof(images));
        return new SegmentationMetrics(rows);
    }

    /// <summary>Combines per-image rows (for example computed in parallel) into dataset metrics.</summary>
    public static SegmentationMetrics Combine(IEnumerable<ImageSegmentationMetrics> perImage)
    {
        ArgumentNullException.ThrowIfNull(perImage);
        var rows = perImage.ToList();
        if (rows.Count == 0)
            throw new ArgumentException("The dataset has no image to evaluate.", nameof(perImage));
        return new SegmentationMetrics(rows);
    }

    private uint[] Prepare(ImageBuffer<uint> map, SegmentationInputKind kind)
    {
        if (kind == SegmentationInputKind.Instance)
            return map.Data;
        var mask = new bool[map.Data.Length];
        for (int i = 0; i < mask.Length; i++)
            mask[i] = map.Data[i] != 0;
        return ConnectedComponents.LabelCore(mask, map.Shape, null, _options.BinaryConnectivity, out _).Data;
    }

    /// <summary>All additive counts of one image, from the contingency table of overlapping truth and predicted labels.</summary>
    internal static ScoreCounts Count(uint[] truth, uint[] predicted)
    {
        var c = new ScoreCounts();
        var truthArea = new Dictionary<uint, long>();
        var predArea = new Dictionary<uint, long>();
        var overlap = new Dictionary<ulong, long>();
        for (int i = 0; i < truth.Length; i++)
        {
            uint t = truth[i], p = predicted[i];
            if (t != 0)
                truthArea[t] = truthArea.GetValueOrDefault(t) + 1;
            if (p != 0)
                predArea[p] = predArea.GetValueOrDefault(p) + 1;
            if (t != 0 && p != 0)
            {
                c.PixelTruePositives++;
                ulong key = ((ulong)t << 32) | p;
                overlap[key] = overlap.GetValueOrDefault(key) + 1;
            }
            else if (t != 0)
            {
                c.PixelFalseNegatives++;
            }
            else if (p != 0)
            {
                c.PixelFalsePositives++;
            }
        }

        c.TruthObjects = truthArea.Count;
        c.PredictedObjects = predArea.Count;

        // Best prediction (max IoU, lowest label on ties) per truth object, for AJI.
        var best = new Dictionary<uint, (uint Pred, double IoU, long Inter)>();
        var thresholds = SegmentationScores.IoUThresholds;
        foreach (var (key, inter) in overlap.OrderBy(kv => kv.Key))
        {
            uint t = (uint)(key >> 32), p = (uint)key;
            long union = truthArea[t] + predArea[p] - inter;
            double iou = (double)inter / union;
            if (!best.TryGetValue(t, out var b) || iou > b.IoU)
                best[t] = (p, iou, inter);
            for (int k = 0; k < thresholds.Count; k++)
                if (iou > thresholds[k])
                    c.MatchesPerThreshold[k]++;
            if (iou > 0.5)
                c.MatchedIoUSum += iou;
            if (inter * 2 > truthArea[t])
                c.CtcJaccardSum += iou;
        }

        var used = new HashSet<uint>();
        foreach (var (t, area) in truthArea)
        {
            if (best.TryGetValue(t, out var b))
            {
                c.AjiIntersection += b.Inter;
                c.AjiUnion += area + predArea[b.Pred] - b.Inter;
                used.Add(b.Pred);
            }
            else
            {
                c.AjiUnion += area;
            }
        }

        foreach (var (p, area) in predArea)
            if (!used.Contains(p))
                c.AjiUnion += area;
        return c;
    }
}
