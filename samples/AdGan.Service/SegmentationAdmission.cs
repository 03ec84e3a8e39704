namespace AdGan.Service;

/// <summary>
/// Admission of segmentation requests: at most <c>slots</c> run at once and at most <c>queue</c> more wait; beyond that a
/// request is refused at once (503). On shutdown, <see cref="BeginDrain"/> refuses new requests, sends the waiting ones
/// away, and after the drain time cancels <see cref="Stopping"/>, which running segmentations observe.
/// </summary>
public sealed class SegmentationAdmission : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _draining = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _admitted;
    private int _running;

    /// <summary>Admits <paramref name="slots"/> running and <paramref name="queue"/> waiting requests.</summary>
    public SegmentationAdmission(int slots, int queue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queue);
        Slots = slots;
        Queue = queue;
        _slots = new SemaphoreSlim(slots, slots);
    }

    /// <summary>Segmentations that may run at once.</summary>
    public int Slots { get; }

    /// <summary>Requests that may wait for a slot.</summary>
    public int Queue { get; }

    /// <summary>Requests admitted and not yet finished (running, waiting for a slot, or uploading their body).</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>Requests holding a slot.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>True once shutdown began: no request is admitted any more.</summary>
    public bool Draining => _draining.IsCancellationRequested;

    /// <summary>True while a new request would be admitted.</summary>
    public bool HasRoom => !Draining && Admitted < Slots + Queue;

    /// <summary>Cancelled when the drain time after shutdown is over: running segmentations stop.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>A ticket for a new request, or null when the slots and the queue are full or the service is draining.</summary>
    public Ticket? TryAdmit()
    {
        if (Draining)
            return null;
        if (Interlocked.Increment(ref _admitted) > Slots + Queue)
        {
            Interlocked.Decrement(ref _admitted);
            return null;
        }
        return new Ticket(this);
    }

    /// <summary>Refuses new requests, cancels waiting ones, and cancels running ones after <paramref name="drainTime"/>.</summary>
    public void BeginDrain(TimeSpan drainTime)
    {
        _draining.Cancel();
        _stopping.CancelAfter(drainTime);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _draining.Dispose();
        _stopping.Dispose();
        _slots.Dispose();
    }

    /// <summary>One admitted request: wait for a slot with <see cref="WaitForSlotAsync"/>; disposing it frees the slot and the place.</summary>
    public sealed class Ticket : IDisposable
    {
        private readonly SegmentationAdmission _owner;
        private bool _hasSlot;
        private bool _disposed;

        internal Ticket(SegmentationAdmission owner) => _owner = owner;

        /// <summary>Waits for a slot; throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled or the service begins draining.</summary>
        public async Task WaitForSlotAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _owner._draining.Token);
            await _owner._slots.WaitAsync(wait.Token).ConfigureAwait(false);
            _hasSlot = true;
            Interlocked.Increment(ref _owner._running);
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            if (_hasSlot)
            {
                Interlocked.Decrement(ref _owner._running);
                _owner._slots.Release();
            }
            Interlocked.Decrement(ref _owner._admitted);
        }
    }
}
