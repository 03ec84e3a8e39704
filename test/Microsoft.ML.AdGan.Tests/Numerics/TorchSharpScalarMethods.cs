using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Microsoft.ML.AdGan.Tests.Numerics;

/// <summary>
/// Reads the IL of the TorchSharp assembly and finds every method that makes a native Scalar and lets it go: a call
/// to <c>Scalar</c>'s conversion operators, a <c>ToScalar</c> method or the <c>Scalar</c> constructor, directly or
/// through other TorchSharp methods (for example <c>Tensor.add(Tensor)</c> passes <c>1</c> as alpha, and
/// <c>Adam.step</c> converts its betas). Such a Scalar is referenced only by its handle once the native call starts,
/// so a collection can finalise it while libtorch still reads it.
/// </summary>
internal sealed class TorchSharpScalarMethods
{
    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value, o => o.OperandType);

    private readonly HashSet<int> _creating = new();
    private readonly HashSet<int> _creators = new();
    private readonly Dictionary<int, string> _names = new();

    private TorchSharpScalarMethods(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        var byKey = new Dictionary<(TypeDefinitionHandle, string, string), MethodDefinitionHandle>();
        foreach (var type in md.TypeDefinitions)
            foreach (var method in md.GetTypeDefinition(type).GetMethods())
            {
                var m = md.GetMethodDefinition(method);
                byKey[(type, md.GetString(m.Name), Convert.ToBase64String(md.GetBlobBytes(m.Signature)))] = method;
            }

        var calls = new Dictionary<int, List<int>>();
        foreach (var type in md.TypeDefinitions)
        {
            foreach (var handle in md.GetTypeDefinition(type).GetMethods())
            {
                var method = md.GetMethodDefinition(handle);
                var token = MetadataTokens.GetToken(handle);
                var name = TypeName(md, type) + "." + md.GetString(method.Name);
                _names[token] = name;
                if (name.StartsWith("TorchSharp.Scalar.op_", StringComparison.Ordinal) || name.EndsWith(".ToScalar", StringComparison.Ordinal) ||
                    name == "TorchSharp.Scalar..ctor")
                    _creators.Add(token);
                var callees = calls[token] = new List<int>();
                if (method.RelativeVirtualAddress == 0) continue;
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                while (il.RemainingBytes > 0)
                {
                    short code = il.ReadByte();
                    if (code == 0xFE) code = (short)(0xFE00 | il.ReadByte());
                    switch (Operands[code])
                    {
                        case OperandType.InlineNone: break;
                        case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: il.ReadByte(); break;
                        case OperandType.InlineVar: il.ReadInt16(); break;
                        case OperandType.InlineI8 or OperandType.InlineR: il.ReadInt64(); break;
                        case OperandType.InlineSwitch:
                            var count = il.ReadInt32();
                            for (var i = 0; i < count; i++) il.ReadInt32();
                            break;
                        case OperandType.InlineMethod or OperandType.InlineTok:
                            if (Resolve(md, byKey, MetadataTokens.EntityHandle(il.ReadInt32())) is { } callee)
                                callees.Add(MetadataTokens.GetToken(callee));
                            break;
                        default: il.ReadInt32(); break;
                    }
                }
            }
        }

        // A method creates a Scalar it does not hand back when it calls a creator or such a method (to a fixed point).
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (method, callees) in calls)
            {
                if (_creators.Contains(method) || _creating.Contains(method)) continue;
                if (callees.Any(c => _creators.Contains(c) || _creating.Contains(c)))
                {
                    _creating.Add(method);
                    changed = true;
                }
            }
        }
    }

    /// <summary>The analysis of the TorchSharp assembly the tests run with.</summary>
    public static TorchSharpScalarMethods Instance { get; } = new(typeof(TorchSharp.torch).Assembly.Location);

    /// <summary>Whether the method (metadata token of its definition) creates a temporary Scalar that it does not return.</summary>
    public bool CreatesTemporary(int token) => _creating.Contains(token);

    /// <summary>Whether the method makes a new Scalar and returns it (the caller must keep it alive).</summary>
    public bool IsCreator(int token) => _creators.Contains(token);

    /// <summary>Number of TorchSharp methods that create a temporary Scalar.</summary>
    public int TemporaryCount => _creating.Count;

    /// <summary>Full name of a TorchSharp method, for messages.</summary>
    public string Name(int token) => _names.TryGetValue(token, out var name) ? name : $"0x{token:X8}";

    private static string TypeName(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        var ns = md.GetString(type.Namespace);
        var name = md.GetString(type.Name);
        return declaring.IsNil ? (ns.Length > 0 ? ns + "." : "") + name : TypeName(md, declaring) + "+" + name;
    }

    private static MethodDefinitionHandle? Resolve(MetadataReader md, Dictionary<(TypeDefinitionHandle, string, string), MethodDefinitionHandle> byKey, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                return (MethodDefinitionHandle)handle;
            case HandleKind.MethodSpecification:
                return Resolve(md, byKey, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            case HandleKind.MemberReference:
                // A member of a generic TorchSharp type (Module<T1, T2>.call ...): find its definition by name and signature.
                var reference = md.GetMemberReference((MemberReferenceHandle)handle);
                if (reference.Parent.Kind != HandleKind.TypeSpecification) return null;
                var blob = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)reference.Parent).Signature);
                if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
                blob.ReadSignatureTypeCode();
                var generic = blob.ReadTypeHandle();
                if (generic.Kind != HandleKind.TypeDefinition) return null;
                var key = ((TypeDefinitionHandle)generic, md.GetString(reference.Name), Convert.ToBase64String(md.GetBlobBytes(reference.Signature)));
                return byKey.TryGetValue(key, out var definition) ? definition : null;
            default:
                return null;
        }
    }
}
