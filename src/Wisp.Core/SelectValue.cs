using System.Runtime.CompilerServices;

namespace Wisp;

/// <summary>
/// A value of any type carried through a select without boxing: a value type of at most 8 bytes with no
/// references (int, long, double, bool, an enum) travels as raw bits with a per-type marker; anything else
/// (a reference, a larger struct such as DateTimeOffset, which is then boxed) travels as an object. The bits
/// are boxed only if someone asks for the value as an object.
/// </summary>
internal readonly struct SelectValue
{
    private readonly object? _reference;   // the value itself, or the Bits<T> marker of a value in _bits
    private readonly ulong _bits;

    private SelectValue(object? reference, ulong bits)
    {
        _reference = reference;
        _bits = bits;
    }

    public static SelectValue From<T>(T value)
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>() || Unsafe.SizeOf<T>() > sizeof(ulong))
            return new(value, 0);
        ulong bits = 0;
        Unsafe.As<ulong, T>(ref bits) = value;
        return new(Bits<T>.Marker, bits);
    }

    public T As<T>()
    {
        if (_reference is Bits<T>)
        {
            ulong bits = _bits;
            return Unsafe.As<ulong, T>(ref bits);
        }
        return ToObject() is T typed ? typed : default!;
    }

    public object? ToObject() => _reference is Bits bits ? bits.Box(_bits) : _reference;

    private abstract class Bits
    {
        public abstract object Box(ulong bits);
    }

    private sealed class Bits<T> : Bits
    {
        public static readonly Bits<T> Marker = new();

        public override object Box(ulong bits) => Unsafe.As<ulong, T>(ref bits)!;
    }
}
