using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.Data;

using Microsoft.ML.AdGan.Tests;

namespace Microsoft.ML.AdGan.Tests.Imaging;

[TestClass]
public sealed class LoadMicroscopyImagesTests
{
    public sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }

    public sealed class NoColumns
    {
    }

    private static (string Png, string Stack) WriteImages(TempFolder dir)
    {
        var png = dir.File("a.png");
        MicroscopyImageWriter.Write16(png, new ushort[] { 0, 1000, 2000, 65535, 4, 5 }, ImageShape.Of2D(2, 3), new VoxelSize(0, 0.5, 0.25));
        var stack = dir.File("b.tif");
        MicroscopyImageWriter.Write8(stack, Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)i).ToArray(), ImageShape.Of3D(2, 3, 4), new VoxelSize(1.5, 0.5, 0.5));
        return (png, stack);
    }

    private static List<(float[] Image, int Depth, int Height, int Width, float[] Voxel, int Bits)> ReadColumns(IDataView view, string name)
    {
        var rows = new List<(float[], int, int, int, float[], int)>();
        var cols = new[] { name, MicroscopyImageColumns.Depth(name), MicroscopyImageColumns.Height(name), MicroscopyImageColumns.Width(name),
            MicroscopyImageColumns.VoxelSize(name), MicroscopyImageColumns.BitsPerSample(name) }.Select(n => view.Schema[n]).ToArray();
        using var cursor = view.GetRowCursor(cols);
        var image = cursor.GetGetter<VBuffer<float>>(cols[0]);
        var depth = cursor.GetGetter<int>(cols[1]);
        var height = cursor.GetGetter<int>(cols[2]);
        var width = cursor.GetGetter<int>(cols[3]);
        var voxel = cursor.GetGetter<VBuffer<float>>(cols[4]);
        var bits = cursor.GetGetter<int>(cols[5]);
        while (cursor.MoveNext())
        {
            VBuffer<float> img = default, vox = default;
            int d = 0, h = 0, w = 0, b = 0;
            image(ref img); depth(ref d); height(ref h); width(ref w); voxel(ref vox); bits(ref b);
            rows.Add((img.DenseValues().ToArray(), d, h, w, vox.DenseValues().ToArray(), b));
        }

        return rows;
    }

    [TestMethod]
    public void PipelineReadsImagesShapesAndVoxelSizes()
    {
        using var dir = new TempFolder();
        var (png, stack) = WriteImages(dir);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = png }, new PathRow { Path = stack } });
        var pipeline = ml.Transforms.LoadMicroscopyImages("Image", "Path")
            .Append(ml.Transforms.CopyColumns("Copy", "Image"));
        var model = pipeline.Fit(data);
        var output = model.Transform(data);

        var image = output.Schema["Image"];
        Assert.IsInstanceOfType<VectorDataViewType>(image.Type);
        Assert.AreEqual(0, ((VectorDataViewType)image.Type).Size, "variable-size vector");
        Assert.AreEqual(NumberDataViewType.Int32, output.Schema["Image.Height"].Type);
        Assert.IsNull(output.Schema.GetColumnOrNull("__LoadMicroscopyImages.Image"), "temporary columns are dropped");
        Assert.IsNotNull(output.Schema.GetColumnOrNull("Path"));

        var rows = ReadColumns(output, "Image");
        Assert.HasCount(2, rows);
        CollectionAssert.AreEqual(new[] { 0f, 1000f, 2000f, 65535f, 4f, 5f }, rows[0].Image);
        Assert.AreEqual((1, 2, 3, 16), (rows[0].Depth, rows[0].Height, rows[0].Width, rows[0].Bits));
        Assert.AreEqual(0.25f, rows[0].Voxel[2], 1e-3f);
        Assert.AreEqual((2, 3, 4, 8), (rows[1].Depth, rows[1].Height, rows[1].Width, rows[1].Bits));
        CollectionAssert.AreEqual(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), rows[1].Image);
        CollectionAssert.AreEqual(new[] { 1.5f, 0.5f, 0.5f }, rows[1].Voxel);
    }

    [TestMethod]
    public void OutputSchemaIsDeclaredAndInputColumnIsChecked()
    {
        var ml = new MLContext(seed: 1);
        var empty = new SchemaShape(Array.Empty<SchemaShape.Column>());
        var input = ml.Transforms.CustomMapping<NoColumns, PathRow>((_, _) => { }, contractName: null).GetOutputSchema(empty);
        var shape = ml.Transforms.LoadMicroscopyImages("Image", "Path").GetOutputSchema(input);
        var names = shape.Select(c => c.Name).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "Path", "Image", "Image.Depth", "Image.Height", "Image.Width", "Image.VoxelSize", "Image.BitsPerSample" }, names);
        Assert.IsFalse(names.Any(n => n.StartsWith("__", StringComparison.Ordinal)));
        var image = shape.Single(c => c.Name == "Image");
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, image.Kind);
        Assert.AreEqual(NumberDataViewType.Single, image.ItemType);

        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.LoadMicroscopyImages("Image", "File").GetOutputSchema(input));
        StringAssert.Contains(ex.Message, "'File'");
    }

    [TestMethod]
    public void NormalizationOptionAndChannelAreApplied()
    {
        using var dir = new TempFolder();
        var (png, _) = WriteImages(dir);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = png } });
        var model = ml.Transforms.LoadMicroscopyImages("Image", "Path", normalization: new IntensityNormalizerOptions { Mode = NormalizationMode.MinMax }).Fit(data);
        var row = ReadColumns(model.Transform(data), "Image").Single();
        Assert.AreEqual(-1f, row.Image[0]);
        Assert.AreEqual(1f, row.Image[3]);
    }

    [TestMethod]
    public void BadPathThrowsNamingColumnAndFile()
    {
        using var dir = new TempFolder();
        var bad = dir.File("broken.png");
        File.WriteAllText(bad, "not an image");
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = bad } });
        var model = ml.Transforms.LoadMicroscopyImages("Image", "Path").Fit(data);
        var ex = Assert.Throws<Exception>(() => ReadColumns(model.Transform(data), "Image"));
        var messages = string.Join(" | ", Flatten(ex).Select(e => e.Message));
        StringAssert.Contains(messages, bad);
        StringAssert.Contains(messages, "'Path'");
    }

    [TestMethod]
    public void SavedPipelineLoadsAndGivesTheSameColumns()
    {
        using var dir = new TempFolder();
        var (png, stack) = WriteImages(dir);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = png }, new PathRow { Path = stack } });
        var model = ml.Transforms.LoadMicroscopyImages("Pixels", "Path", new MicroscopyReadOptions { FirstPageOnly = true },
                new IntensityNormalizerOptions { Mode = NormalizationMode.Fixed8Bit, Clip = false })
            .Append(ml.Transforms.CopyColumns("Copy", "Pixels"))
            .Fit(data);
        var zip = dir.File("model.zip");
        ml.Model.Save(model, data.Schema, zip);

        var ml2 = new MLContext(seed: 2);
        var loaded = ml2.Model.Load(zip, out var schema);
        Assert.IsNotNull(schema.GetColumnOrNull("Path"));
        var before = ReadColumns(model.Transform(data), "Pixels");
        var after = ReadColumns(loaded.Transform(data), "Pixels");
        Assert.HasCount(before.Count, after);
        for (int i = 0; i < before.Count; i++)
        {
            CollectionAssert.AreEqual(before[i].Image, after[i].Image);
            Assert.AreEqual((before[i].Depth, before[i].Height, before[i].Width), (after[i].Depth, after[i].Height, after[i].Width));
        }

        Assert.AreEqual(1, after[1].Depth, "FirstPageOnly survives save/load");
        Assert.AreEqual(1f / 127.5f - 1f, after[1].Image[1], 1e-6f, "Fixed8Bit survives save/load");
        Assert.AreEqual(65535f / 127.5f - 1f, after[0].Image[3], 1e-3f, "Clip = false survives save/load");
    }

    [TestMethod]
    public void NonFinitePolicyAndPixelBudgetApplyAndSurviveSaveLoad()
    {
        using var dir = new TempFolder();
        var path = dir.File("nan.tif");
        File.WriteAllBytes(path, CraftedFiles.Tiff(2, 2, 32, new[] { CraftedFiles.Floats(1f, float.NaN, 3f, 4f) }, sampleFormat: 3));
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = path } });

        var strict = ml.Transforms.LoadMicroscopyImages("Image", "Path").Fit(data);
        var ex = Assert.Throws<Exception>(() => ReadColumns(strict.Transform(data), "Image"));
        StringAssert.Contains(string.Join(" | ", Flatten(ex).Select(e => e.Message)), "1 NaN and 0 infinite");
        var small = ml.Transforms.LoadMicroscopyImages("Image", "Path", new MicroscopyReadOptions { MaxPixels = 3 }).Fit(data);
        ex = Assert.Throws<Exception>(() => ReadColumns(small.Transform(data), "Image"));
        StringAssert.Contains(string.Join(" | ", Flatten(ex).Select(e => e.Message)), "pixel budget of 3");

        var lenient = ml.Transforms.LoadMicroscopyImages("Image", "Path", new MicroscopyReadOptions { NonFinite = NonFinitePixelPolicy.ReplaceWithMinimum }).Fit(data);
        var zip = dir.File("model.zip");
        ml.Model.Save(lenient, data.Schema, zip);
        var loaded = new MLContext(seed: 2).Model.Load(zip, out _);
        foreach (var output in new[] { lenient.Transform(data), loaded.Transform(data) })
        {
            CollectionAssert.AreEqual(new[] { 1f, 1f, 3f, 4f }, ReadColumns(output, "Image").Single().Image);
            StringAssert.Contains(output.GetColumn<string>(MicroscopyImageColumns.Warnings("Image")).Single(), "1 NaN and 0 infinite");
            Assert.IsNull(output.Schema.GetColumnOrNull("__LoadMicroscopyImages.Warnings"), "temporary columns are dropped");
        }
    }

    [TestMethod]
    public void SettingsSavedBeforeTheBudgetAndPolicyExistedGetTheDefaults()
    {
        const string older = "{\"InputColumnName\":\"Path\",\"Channel\":null,\"FirstPageOnly\":false,\"Normalize\":false,\"Mode\":0,"
            + "\"LowPercentile\":1,\"HighPercentile\":99.8,\"Clip\":true}";
        var settings = MicroscopyImageLoading.Settings.Parse(older);
        Assert.AreEqual(MicroscopyReadOptions.DefaultMaxPixels, settings.MaxPixels);
        Assert.AreEqual(NonFinitePixelPolicy.Error, settings.NonFinite);
    }

    private static IEnumerable<Exception> Flatten(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            yield return e;
    }
}
