using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Tests.Numerics;

/// <summary>
/// Garbage collections at any moment, on another thread, leave training and concurrent segmentation bit for bit as
/// without them. TorchSharp frees native Scalars (and tensors) in finalisers, so a value that nothing keeps alive can be
/// freed while libtorch still reads it; the source check (<see cref="ScalarLifetimeTests"/>) keeps such values out of
/// the code, and this test is the second line: it would show the damage as changed weights, NaNs or a crashed test host.
/// </summary>
[TestClass]
public sealed class CollectionStressTests
{
    private const int Steps = 6;
    private const int Segmenters = 4;
    private const int Rounds = 3;

    // The test's own arithmetic must not race either: its Scalars live as long as the class.
    private static readonly Scalar Two = 2.0.ToScalar();
    private static readonly Scalar One = 1.0.ToScalar();
    private static readonly Scalar Half = 0.5.ToScalar();

    [TestMethod]
    public void TrainingStepsGiveTheSameWeightsWhileCollectionsRun()
    {
        WithOneThread(() =>
        {
            var quiet = Train();
            Dictionary<string, float[]> stressed;
            long collections;
            using (var collector = new CollectorLoop())
            {
                stressed = Train();
                collections = collector.Stop();
            }
            Console.WriteLine($"{collections} full collections during {Steps} training steps");
            Assert.IsGreaterThan(Steps, collections, "the collector thread barely ran");
            foreach (var (name, expected) in quiet)
            {
                Assert.IsTrue(stressed[name].All(float.IsFinite), $"{name} has non-finite values after training under collections.");
                CollectionAssert.AreEqual(expected, stressed[name], $"{name} differs between the runs with and without collections.");
            }
        });
    }

    [TestMethod]
    public void FourThreadsSegmentTheSameMapsWhileCollectionsRun()
    {
        WithOneThread(() =>
        {
            using var model = new AdGanSegmentationModel(
                new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 4, StyleMlpWidth = 8, Seed = 3 }),
                new AdGanInferenceSettings { BaseChannels = 4, StyleMlpWidth = 8, Tiling = new TilingOptions { TileSize = 32 } });
            var images = Enumerable.Range(0, Segmenters).Select(Image).ToArray();
            var expected = images.Select(i => model.Decode(i).Data).ToArray();
            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            long collections;
            using (var collector = new CollectorLoop())
            {
                var threads = Enumerable.Range(0, Segmenters).Select(k => new Thread(() =>
                {
                    try
                    {
                        for (var round = 0; round < Rounds; round++)
                        {
                            var map = model.Decode(images[k]).Data;
                            if (!map.SequenceEqual(expected[k])) failures.Enqueue($"image {k}, round {round}: the map differs");
                        }
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue($"image {k}: {e.GetType().Name}: {e.Message}");
                    }
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                collections = collector.Stop();
            }
            Console.WriteLine($"{collections} full collections while {Segmenters} threads segmented {Rounds} times each");
            Assert.IsGreaterThan(Segmenters, collections, "the collector thread barely ran");
            Assert.IsEmpty(failures, string.Join("; ", failures));
        });
    }

    private static Dictionary<string, float[]> Train()
    {
        using var nets = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 8, StyleMlpWidth = 16, Seed = 3 });
        using var step = new AdGanTrainingStep(nets, new AdGanStepOptions { PoolSize = 2 }, new Random(4));
        using var average = new GeneratorAverage(nets, 0.99);
        using var generator = new Generator(7);
        for (var i = 0; i < Steps; i++)
        {
            using (NewDisposeScope())
            {
                var xA = rand(new long[] { 2, 1, 32, 32 }, generator: generator).mul_(Two).sub_(One);
                var xB = rand(new long[] { 2, 1, 32, 32 }, generator: generator).gt(Half).to_type(ScalarType.Float32).mul_(Two).sub_(One);
                step.Step(xA, xB);
            }
            average.Update();
        }
        var result = nets.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());
        var copy = new AdGanNetworks(new AdGanNetworkOptions { BaseChannels = 8, StyleMlpWidth = 16, Seed = 3 });
        using (copy)
        {
            average.CopyTo(copy.Encoder, copy.Decoder);
            foreach (var (name, p) in copy.named_parameters().Where(p => !p.name.StartsWith("dis.", StringComparison.Ordinal)))
                result["average." + name] = p.detach().data<float>().ToArray();
        }
        return result;
    }

    /// <summary>A smooth 56 x 70 image (several 32-pixel tiles, so the image statistics pass runs too), different per <paramref name="k"/>.</summary>
    private static ImageBuffer<float> Image(int k)
    {
        const int h = 56, w = 70;
        var data = new float[h * w];
        for (var i = 0; i < data.Length; i++)
            data[i] = 100 + 50 * MathF.Sin(i * (0.07f + 0.01f * k)) + 30 * MathF.Cos(i / w * 0.3f);
        return new ImageBuffer<float>(data, ImageShape.Of2D(h, w));
    }

    private static void WithOneThread(Action test)
    {
        var previous = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            test();
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }

    /// <summary>A background thread that runs full blocking collections and finalisers back to back until stopped.</summary>
    private sealed class CollectorLoop : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _count;

        public CollectorLoop()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    Interlocked.Increment(ref _count);
                }
            }) { IsBackground = true, Name = "collector" };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return Interlocked.Read(ref _count);
        }

        public void Dispose() => Stop();
    }
}
