using System.Threading.Channels;
using Microsoft.ML.AdGan.Synthesis;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Synthesises the mask batch of each iteration on a background thread, a few iterations ahead. Mask j of
/// iteration i is patch number i x batch + j of the seeded generator, so a resumed run sees the same masks.
/// </summary>
internal sealed class MaskBatchProducer : IDisposable
{
    private readonly Channel<float[]> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;

    public MaskBatchProducer(SyntheticMaskOptions options, int batchSize, int firstIteration, int endIteration, int prefetch)
    {
        var generator = new SyntheticMaskGenerator(options);
        int patch = checked((int)options.PatchShape.Length);
        _channel = Channel.CreateBounded<float[]>(new BoundedChannelOptions(prefetch) { SingleReader = true, SingleWriter = true });
        var token = _stop.Token;
        _worker = Task.Run(async () =>
        {
            try
            {
                for (int it = firstIteration; it < endIteration; it++)
                {
                    var batch = new float[patch * batchSize];
                    for (int j = 0; j < batchSize; j++)
                    {
                        var mask = generator.Generate((long)it * batchSize + j).Mask.Data;
                        for (int k = 0; k < patch; k++)
                            batch[j * patch + k] = mask[k] / 127.5f - 1f;
                    }
                    await _channel.Writer.WriteAsync(batch, token).ConfigureAwait(false);
                }
                _channel.Writer.TryComplete();
            }
            catch (OperationCanceledException)
            {
                _channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _channel.Writer.TryComplete(e);
            }
        });
    }

    /// <summary>Blocks until the next iteration's batch (B x patch values in [-1, 1]) is ready.</summary>
    public float[] Next()
    {
        var reader = _channel.Reader;
        while (true)
        {
            if (reader.TryRead(out var batch))
                return batch;
            if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                _worker.GetAwaiter().GetResult(); // surfaces a producer failure
                throw new InvalidOperationException("The mask producer ended before training did.");
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _worker.Wait(); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
