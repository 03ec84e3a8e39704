using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdGan.Training;

/// <summary>
/// Adam with L2 weight decay, the computation of PyTorch's <c>torch.optim.Adam</c> (no AMSGrad): g += wd w;
/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²; w -= lr / (1 - b1^t) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
/// Every native Scalar it passes lives until the native call has returned (TorchSharp's Adam converts numbers to
/// temporary Scalars that a garbage collection can free during the call). The state is saved in the layout of
/// TorchSharp's <c>Adam.save_state_dict</c>, so checkpoints written before keep loading.
/// </summary>
internal sealed class AdamOptimizer : IDisposable
{
    private const string StateName = "Adam";
    private readonly List<ParameterState> _states;

    /// <summary>Prepares Adam over <paramref name="parameters"/> (zero moments); the parameters keep their device and dtype.</summary>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double weightDecay, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!double.IsFinite(learningRate) || learningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and >= 0.");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!double.IsFinite(weightDecay) || weightDecay < 0)
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be finite and >= 0.");
        if (!(epsilon >= 0) || !double.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and >= 0.");
        LearningRate = learningRate;
        InitialLearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        WeightDecay = weightDecay;
        Epsilon = epsilon;
        _states = parameters.Select(p => new ParameterState(p)).ToList();
    }

    /// <summary>The learning rate of the next step.</summary>
    public double LearningRate { get; set; }

    /// <summary>The learning rate given at construction (kept in saved state, as TorchSharp does).</summary>
    public double InitialLearningRate { get; private set; }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; private set; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; private set; }

    /// <summary>L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; private set; }

    /// <summary>Added to the bias-corrected root of the second moment.</summary>
    public double Epsilon { get; private set; }

    /// <summary>The parameters updated, in order.</summary>
    public IEnumerable<Parameter> Parameters => _states.Select(s => s.Parameter);

    /// <summary>Steps taken by the first parameter (every parameter with a gradient steps together).</summary>
    public long StepCount => _states.Count == 0 ? 0 : _states[0].Step;

    /// <summary>Sets every existing gradient to zero (as <c>zero_grad</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var state in _states)
        {
            using var grad = state.Parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>One Adam update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var beta1 = Beta1.ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var weightDecay = WeightDecay.ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var one = 1.0.ToScalar();
        foreach (var state in _states)
        {
            using var scope = NewDisposeScope();
            var grad = state.Parameter.grad;
            if (grad is null) continue;
            state.Step++;
            double biasCorrection1 = 1 - Math.Pow(Beta1, state.Step);
            double biasCorrection2 = 1 - Math.Pow(Beta2, state.Step);
            using var negativeStepSize = (-(LearningRate / biasCorrection1)).ToScalar();
            using var biasCorrection2Root = Math.Sqrt(biasCorrection2).ToScalar();
            if (WeightDecay != 0)
                grad = grad.add(state.Parameter, weightDecay);
            state.FirstMoment.mul_(beta1).add_(grad, oneMinusBeta1);
            state.SecondMoment.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            var denominator = state.SecondMoment.sqrt().div_(biasCorrection2Root).add_(epsilon, one);
            state.Parameter.addcdiv_(state.FirstMoment, denominator, negativeStepSize);
        }
    }

    /// <summary>Writes the options and every parameter's step and moments (TorchSharp's Adam layout).</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateName);
        WriteCount(writer, 1);
        WriteCount(writer, _states.Count);
        writer.Write(InitialLearningRate);
        writer.Write(LearningRate);
        writer.Write(Beta1);
        writer.Write(Beta2);
        writer.Write(Epsilon);
        writer.Write(WeightDecay);
        writer.Write(false); // AMSGrad
        writer.Write(false); // maximize
        foreach (var state in _states)
        {
            writer.Write(state.Step);
            state.FirstMoment.Save(writer);
            state.SecondMoment.Save(writer);
            writer.Write(false); // no AMSGrad maximum
        }
    }

    /// <summary>Restores what <see cref="Save"/> (or TorchSharp's Adam for the same parameters) wrote.</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var name = reader.ReadString();
        if (name != StateName)
            throw new InvalidDataException($"The optimiser state is of '{name}', expected '{StateName}'.");
        var groups = ReadCount(reader);
        var count = ReadCount(reader);
        if (groups != 1 || count != _states.Count)
            throw new InvalidDataException($"The optimiser state has {groups} parameter groups and {count} parameters; this optimiser has 1 and {_states.Count}.");
        InitialLearningRate = reader.ReadDouble();
        LearningRate = reader.ReadDouble();
        Beta1 = reader.ReadDouble();
        Beta2 = reader.ReadDouble();
        Epsilon = reader.ReadDouble();
        WeightDecay = reader.ReadDouble();
        if (reader.ReadBoolean() || reader.ReadBoolean())
            throw new InvalidDataException("The optimiser state uses AMSGrad or maximisation, which this optimiser does not.");
        foreach (var state in _states)
        {
            state.Step = reader.ReadInt64();
            state.FirstMoment.Load(reader);
            state.SecondMoment.Load(reader);
            if (reader.ReadBoolean())
                throw new InvalidDataException("The optimiser state holds an AMSGrad maximum, which this optimiser does not use.");
        }
    }

    /// <summary>Frees the moments.</summary>
    public void Dispose()
    {
        foreach (var state in _states)
        {
            state.FirstMoment.Dispose();
            state.SecondMoment.Dispose();
        }
        _states.Clear();
    }

    // Counts are LEB128-encoded, as TorchSharp writes them.
    private static void WriteCount(BinaryWriter writer, long value)
    {
        do
        {
            var low = (byte)(value & 0x7F);
            value >>= 7;
            writer.Write(value == 0 ? low : (byte)(low | 0x80));
        }
        while (value != 0);
    }

    private static long ReadCount(BinaryReader reader)
    {
        long value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
            if (shift > 56) throw new InvalidDataException("The optimiser state has a malformed count.");
        }
    }

    private sealed class ParameterState
    {
        public ParameterState(Parameter parameter)
        {
            Parameter = parameter;
            FirstMoment = zeros_like(parameter).DetachFromDisposeScope();
            SecondMoment = zeros_like(parameter).DetachFromDisposeScope();
        }

        public Parameter Parameter { get; }

        public Tensor FirstMoment { get; }

        public Tensor SecondMoment { get; }

        public long Step { get; set; }
    }
}
