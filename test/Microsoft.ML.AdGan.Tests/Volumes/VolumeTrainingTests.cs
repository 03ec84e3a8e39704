using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Persistence;
using Microsoft.ML.AdGan.Training;
using Microsoft.ML.Data;
using Microsoft.ML.AdGan.Estimators;

namespace Microsoft.ML.AdGan.Tests.Volumes;

[TestClass]
public sealed class VolumeTrainingTests
{
    private static AdGanSegmentationModel Train(AdGanTrainerOptions options, IReadOnlyList<ImageBuffer<float>> volumes)
    {
        using var trainer = new AdGanTrainer(options, new InMemoryImageSource(volumes, options.Normalization, options.ImageScale));
        var model = trainer.Train();
        Assert.AreEqual(options.TotalIterations, trainer.CompletedIterations);
        Assert.IsTrue(trainer.LossHistory.All(row => row.Skip(1).All(double.IsFinite)), "finite losses");
        return model;
    }

    [TestMethod]
    public void TrainsOnAnisotropicVolumesDeterministicallyAndRoundTripsThroughTheModelZip()
    {
        var volumes = TinyVolumes.Volumes().Select(v => v.Image).ToList();
        var test = volumes[0];
        Assert.AreEqual(ImageShape.Of3D(12, 32, 32), test.Shape);
        Assert.AreEqual(ImageShape.Of3D(24, 32, 32), TrainingImagePreparation.Prepare(test, new IntensityNormalizerOptions(), 1.0).Shape, "training sees cubic voxels");
        var options = TinyVolumes.Options();
        using var model = Train(options, volumes);
        using var again = Train(TinyVolumes.Options(), volumes);
        Assert.AreEqual(3, model.Settings.Dimensions);

        // Decoded on cubic voxels (24 x 32 x 32), returned on the stored grid.
        var decoded = model.Decode(test);
        Assert.AreEqual(test.Shape, decoded.Shape);
        Assert.AreEqual(test.VoxelSize, decoded.VoxelSize);
        Assert.IsTrue(decoded.Data.All(v => v >= -1 && v <= 1));
        CollectionAssert.AreEqual(decoded.Data, again.Decode(test).Data, "same seed and threads give the same model");

        using var folder = new TempFolder();
        string zip = folder.File("volumes.zip");
        AdGanModelFile.Save(new MLContext(1), model, zip);
        Assert.AreEqual(3, AdGanModelFile.ReadMarker(zip).Dimensions);
        using var loaded = AdGanModelFile.LoadModel(new MLContext(2), zip);
        Assert.AreEqual(3, loaded.Settings.Dimensions);
        Assert.AreEqual(options.Tiling.TileDepth, loaded.Settings.Tiling.TileDepth);
        CollectionAssert.AreEqual(decoded.Data, loaded.Decode(test).Data, "the fresh model decodes identically");

        // The ML.NET transformer of the zip takes a volume row and answers with its depth.
        var iso = IsotropicVolumes.ToIsotropic(test);
        var ml = new MLContext(3);
        var transformer = ml.Model.Load(zip, out _);
        var scored = transformer.Transform(ml.Data.LoadFromEnumerable(new[] { InMemoryImageRow.From(iso) }));
        foreach (var column in new[] { "Decoded", "Instances", "Instances.Count", "Decoded.Depth", "Decoded.Height", "Decoded.Width" })
            Assert.IsNotNull(scored.Schema.GetColumnOrNull(column), column);
        using var cursor = scored.GetRowCursor(scored.Schema);
        var getDecoded = cursor.GetGetter<VBuffer<float>>(scored.Schema["Decoded"]);
        var getDepth = cursor.GetGetter<int>(scored.Schema["Decoded.Depth"]);
        Assert.IsTrue(cursor.MoveNext());
        VBuffer<float> values = default;
        int depth = 0;
        getDecoded(ref values);
        getDepth(ref depth);
        Assert.AreEqual(24, depth);
        CollectionAssert.AreEqual(model.Decode(iso).Data, values.DenseValues().ToArray());
    }

    [TestMethod]
    public void TiledVolumeInferenceMatchesOneTileForAPointwiseNetwork()
    {
        var volume = TinyVolumes.Volumes(1)[0].Image;
        var iso = IsotropicVolumes.ToIsotropic(volume);
        var tiling = new TilingOptions { TileSize = 12, TileDepth = 8, Overlap = 0.25 };
        var tiled = TiledInference.Run(iso, x => x * 0.5f, tiling);
        Assert.AreEqual(iso.Shape, tiled.Shape);
        for (int i = 0; i < iso.Data.Length; i++)
            Assert.AreEqual(iso.Data[i] * 0.5f, tiled.Data[i], 1e-4f);
    }

    [TestMethod]
    public void VolumeCropsRotateInTheXyPlaneOnly()
    {
        // Every slice holds its own z index: any XY rotation or flip keeps each crop slice constant and in order.
        var shape = ImageShape.Of3D(30, 40, 40);
        var data = new float[shape.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = i / (40 * 40);
        var volume = new ImageBuffer<float>(data, shape);
        var crop = new float[24 * 24 * 24];
        for (int seed = 0; seed < 5; seed++)
        {
            CropAugmenter.Crop(volume, 24, 24, new AugmentationOptions { MaxRotationDegrees = 45 }, new Random(seed), crop, 0);
            float first = crop[0];
            for (int z = 0; z < 24; z++)
                for (int k = 0; k < 24 * 24; k += 37)
                    Assert.AreEqual(first + z, crop[z * 576 + k], 1e-4f, $"seed {seed}, slice {z}");
        }
    }

    [TestMethod]
    public void VolumePresetsAreValidVolumeSettings()
    {
        foreach (var preset in new[] { AdGanPresets.Cpu3D(), AdGanPresets.Paper3D() })
        {
            preset.Validate();
            Assert.AreEqual(3, preset.Dimensions);
            Assert.IsGreaterThanOrEqualTo(24, preset.CropDepth);
            Assert.AreEqual(3, preset.InferenceSettings().Dimensions);
        }
        Assert.AreEqual(64, AdGanPresets.Paper3D().CropDepth);
        Assert.AreEqual(128, AdGanPresets.Paper3D().CropSize);
    }
}
