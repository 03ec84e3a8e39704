using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;

namespace Microsoft.ML.AdGan.Persistence;

/// <summary>Builds one ONNX graph: float32 and int64 initialisers, nodes of the default domain, inputs and outputs with symbolic sizes.</summary>
internal sealed class OnnxGraphWriter
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public OnnxGraphWriter(string name) => Graph = new GraphProto { Name = name };

    /// <summary>The graph written so far.</summary>
    public GraphProto Graph { get; }

    /// <summary>A float32 initialiser named <paramref name="name"/> holding <paramref name="values"/> in row-major order (raw data is little-endian, as ONNX requires).</summary>
    public string Constant(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckLength(name, values.Length, dims);
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return AddInitializer(name, TensorProto.Types.DataType.Float, bytes, dims);
    }

    /// <summary>An int64 initialiser named <paramref name="name"/> (shapes, pads, axes).</summary>
    public string Constant(string name, ReadOnlySpan<long> values, params long[] dims)
    {
        CheckLength(name, values.Length, dims);
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return AddInitializer(name, TensorProto.Types.DataType.Int64, bytes, dims);
    }

    /// <summary>A node of operator <paramref name="op"/> named <paramref name="name"/>, whose one output is also called <paramref name="name"/>.</summary>
    public string Node(string op, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        Claim(name);
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return name;
    }

    /// <summary>Declares a float32 graph input; a dimension is a fixed size (long) or a symbolic name (string).</summary>
    public string Input(string name, params object[] dims)
    {
        Claim(name);
        Graph.Input.Add(FloatValue(name, dims));
        return name;
    }

    /// <summary>Makes the node output <paramref name="value"/> a float32 graph output called <paramref name="name"/> (an Identity node when the names differ).</summary>
    public void Output(string value, string name, params object[] dims)
    {
        if (value != name)
            Node("Identity", name, new[] { value });
        Graph.Output.Add(FloatValue(name, dims));
    }

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private string AddInitializer(string name, TensorProto.Types.DataType type, byte[] bytes, long[] dims)
    {
        Claim(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return name;
    }

    private static ValueInfoProto FloatValue(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => throw new ArgumentException($"Dimension '{dim}' of '{name}' is neither a size nor a name.", nameof(dims)),
            });
        }
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
    }

    private static void CheckLength(string name, int length, long[] dims)
    {
        long expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != length)
            throw new ArgumentException($"Initialiser '{name}' has {length} values but dimensions ({string.Join(", ", dims)}).", nameof(dims));
    }
}
