namespace Wisp.Fuzz;

/// <summary>
/// Structural equality of payload values, as a round trip must keep them: byte strings by content, floats bit for
/// bit (NaN equals NaN, -0 is not 0), PIDs with their creation, errors by every field, containers in order.
/// Also whether a decoded value is in the model at all (<see cref="IsNeutral"/>).
/// </summary>
internal static class PayloadEquality
{
    public static bool Equal(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (Pid x, Pid y) => x == y && x.Creation == y.Creation,
        (EncodedPayload x, EncodedPayload y) => x.Format == y.Format && x.Data.AsSpan().SequenceEqual(y.Data),
        (ProcessError x, ProcessError y) => x.Message == y.Message && x.Kind == y.Kind && x.Retryable == y.Retryable && Equal(x.Details, y.Details),
        (PayloadList x, PayloadList y) => x.Count == y.Count && x.Zip(y).All(pair => Equal(pair.First, pair.Second)),
        (PayloadMap x, PayloadMap y) => x.Entries.Count == y.Entries.Count
            && x.Entries.Zip(y.Entries).All(pair => Equal(pair.First.Key, pair.Second.Key) && Equal(pair.First.Value, pair.Second.Value)),
        (null, _) or (_, null) => false,
        _ => a.GetType() == b.GetType() && a.Equals(b),
    };

    /// <summary>Whether a value holds only the model's types, and errors only defined kinds.</summary>
    public static bool IsNeutral(object? value) => value switch
    {
        null or bool or long or double or string or byte[] or Pid or EncodedPayload => true,
        ProcessError error => Enum.IsDefined(error.Kind) && IsNeutral(error.Details),
        PayloadList list => list.All(IsNeutral),
        PayloadMap map => map.Entries.All(entry => entry.Key is string or long or double or bool && IsNeutral(entry.Value)),
        _ => false,
    };
}
