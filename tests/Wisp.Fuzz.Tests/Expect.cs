using Xunit.Sdk;

namespace Wisp.Fuzz;

/// <summary>
/// The property every target shares: reading an input gives a value or the reader's documented error, never any
/// other exception, and allocates no more than its input can justify (a forged length must not reserve gigabytes).
/// </summary>
internal static class Expect
{
    /// <summary>
    /// Runs <paramref name="read"/>: its value, or the <typeparamref name="TError"/> it threw (checked by
    /// <paramref name="checkError"/>); any other exception fails, as does allocating more than <paramref name="maxAllocatedBytes"/>.
    /// </summary>
    public static (T? Value, TError? Error) ValueOrError<T, TError>(string input, Func<T> read, Action<TError> checkError, long maxAllocatedBytes = long.MaxValue)
        where TError : Exception
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        T? value = default;
        TError? refused = null;
        try
        {
            value = read();
        }
        catch (TError error)
        {
            checkError(error);
            refused = error;
        }
        catch (Exception other) when (other is not XunitException)
        {
            throw new XunitException($"{other.GetType().Name} instead of a value or a {typeof(TError).Name}, for {input}: {other.Message}", other);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > maxAllocatedBytes)
            throw new XunitException($"{allocated} bytes allocated (at most {maxAllocatedBytes} expected) for {input}");
        return (value, refused);
    }

    /// <summary>What decoding <paramref name="inputBytes"/> bytes may allocate: a constant part, then a bounded amount per input byte.</summary>
    public static long AllocationBound(int inputBytes) => (1 << 20) + 256L * inputBytes;
}
