using Microsoft.ML.AdGan.Tools.Datasets;
using Microsoft.ML.AdGan.Evaluation;
namespace Microsoft.ML.AdGan.Tools.Benchmarks;

/// <summary>One anchor row of the classical baseline: a group at a working scale and minimum diameter, and its expected scores.</summary>
/// <param name="GroupFilter">Selects the group (see <see cref="ImageGroups.Matches"/>).</param>
/// <param name="Scale">Working scale of the images.</param>
/// <param name="MinDiameter">Smallest nucleus diameter in pixels at that scale.</param>
/// <param name="Dice">Expected mean pixel Dice.</param>
/// <param name="AggregatedJaccardIndex">Expected mean AJI.</param>
/// <param name="F1At50">Expected mean object F1 at IoU &gt; 0.5.</param>
public sealed record BaselineReferenceRow(string GroupFilter, double Scale, double MinDiameter, double Dice, double AggregatedJaccardIndex, double F1At50);
