using Microsoft.ML.AdGan.Imaging;

namespace Microsoft.ML.AdGan.Inference;

/// <summary>What the segmentation pipeline gives for one image or volume.</summary>
/// <param name="Labels">Instance label map at the image's size and voxel size: 0 background, 1..K nuclei.</param>
/// <param name="DecodedMap">The decoded map (in [-1, 1]) the labels came from, at the image's size.</param>
/// <param name="WorkingScale">The factor the image was resized by before the network (its per-image scale, or the model's).</param>
/// <param name="NucleusCount">Number of distinct nuclei in <paramref name="Labels"/>.</param>
public sealed record NucleusSegmentation(ImageBuffer<uint> Labels, ImageBuffer<float> DecodedMap, double WorkingScale, int NucleusCount);
