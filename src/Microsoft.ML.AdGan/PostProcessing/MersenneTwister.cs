namespace Microsoft.ML.AdGan.PostProcessing;

/// <summary>
/// MT19937 (Matsumoto and Nishimura 1998) seeded from a 32-bit integer, with 53-bit doubles as numpy's legacy
/// <c>RandomState(seed).random_sample</c>: equal seeds give numpy's stream, so the baseline's jitter matches a Python run.
/// </summary>
internal sealed class MersenneTwister
{
    private const int N = 624, M = 397;
    private const uint MatrixA = 0x9908b0df, Upper = 0x80000000, Lower = 0x7fffffff;
    private readonly uint[] _state = new uint[N];
    private int _index;

    /// <summary>Seeds the generator as numpy's <c>RandomState(seed)</c> does for an integer seed.</summary>
    public MersenneTwister(uint seed)
    {
        _state[0] = seed;
        for (int i = 1; i < N; i++)
            _state[i] = 1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i;
        _index = N;
    }

    /// <summary>The next 32-bit output.</summary>
    public uint NextUInt32()
    {
        if (_index >= N)
            Twist();
        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A double in [0, 1) from two outputs (27 + 26 bits), as numpy's random_sample.</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_state[i] & Upper) | (_state[(i + 1) % N] & Lower);
            _state[i] = _state[(i + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
        }

        _index = 0;
    }
}
