using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HighPerfBatch.Internal;

/// <summary>
/// One batch in the making: a <typeparamref name="T"/> array rented from <see cref="ArrayPool{T}.Shared"/> that
/// producers fill in place, and that is later handed to the sink as it is (no copy).
/// </summary>
/// <remarks>
/// Invariants:
/// <list type="bullet">
/// <item>A producer owns slot <c>i</c> once <c>Interlocked.Increment(ref Reserved) - 1 == i</c> and <c>i &lt; Limit</c>;
/// it writes the item, then publishes it with a release write of <c>Ready[i]</c>.</item>
/// <item><see cref="Seal"/> swaps <see cref="Reserved"/> to <see cref="Closed"/>: later claims land past
/// <see cref="Limit"/> and fail, so the slots claimed before the swap are exactly <c>[0, Count)</c>.</item>
/// <item>Nobody reads the items before <see cref="WaitForWriters"/> has seen every <c>Ready[i]</c> of <c>[0, Count)</c>,
/// and the array goes back to the pool only after that.</item>
/// <item>While the segment is not the batcher's current one (sealed, sending, or idle in the free list)
/// <see cref="Reserved"/> stays at or above <see cref="Closed"/>, so a producer holding a stale reference can never
/// claim a slot in it (the ABA case of a segment recycled under a slow producer).</item>
/// </list>
/// </remarks>
internal sealed class Segment<T>
{
    /// <summary>Reserved value of a segment that accepts no more claims; far from overflow at any claim rate.</summary>
    public const int Closed = int.MaxValue / 2;

    private readonly bool[] _ready;

    public Segment(int limit)
    {
        Limit = limit;
        Items = [];
        _ready = limit == 0 ? [] : new bool[limit];
        _reserved.Value = Closed;
    }

    /// <summary>Slots a producer may claim: the batch size (0 for the closed sentinel segment).</summary>
    public int Limit { get; }

    /// <summary>The rented items array (its length may exceed <see cref="Limit"/>).</summary>
    public T[] Items { get; private set; }

    // The claim counter sits alone on its cache line: producers increment it on every add, and the fields next to it
    // (the arrays, the limit), which every add reads, must not be invalidated by each increment of another core.
    private PaddedInt32 _reserved;

    /// <summary>Claim counter of producers; see the type's remarks.</summary>
    public ref int Reserved => ref _reserved.Value;

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the first item; 0 until it is written.</summary>
    public long FirstItemTimestamp;

    /// <summary>Items claimed before the seal. Valid once sealed.</summary>
    public int Count { get; private set; }

    /// <summary>Items at the front discarded by <see cref="BatchFullMode.DropOldest"/> or already delivered.</summary>
    public int Start { get; set; }

    /// <summary>Position of this segment in acceptance order, assigned at seal; flushes wait on it.</summary>
    public long Sequence { get; private set; }

    /// <summary>Items still to deliver.</summary>
    public int Remaining => Count - Start;

    /// <summary>Set when a shutdown gave up on the send in flight; the send's completion then only recycles.</summary>
    public int Abandoned;

    /// <summary>Times the sink was called for this batch so far (read by a shutdown that gives up on it).</summary>
    public int Attempts;

    /// <summary>The sink's last error for this batch, if any.</summary>
    public Exception? LastError;

    /// <summary>Makes this segment the one producers fill.</summary>
    public void Open()
    {
        if (Items.Length == 0)
        {
            Items = ArrayPool<T>.Shared.Rent(Limit);
        }

        Count = 0;
        Start = 0;
        Abandoned = 0;
        Attempts = 0;
        LastError = null;
        Volatile.Write(ref FirstItemTimestamp, 0);

        // Release: a producer that claims a slot after this write sees the new array.
        Volatile.Write(ref Reserved, 0);
    }

    /// <summary>Stops further claims and fixes <see cref="Count"/>.</summary>
    public int Seal(long sequence)
    {
        int claimed = Interlocked.Exchange(ref Reserved, Closed);
        Count = Math.Min(claimed, Limit);
        Sequence = sequence;
        return Count;
    }

    /// <summary>Claimed count of a segment that is still open (racy by nature; for statistics).</summary>
    public int PeekClaimed()
    {
        int reserved = Volatile.Read(ref Reserved);
        return reserved >= Closed ? 0 : Math.Min(reserved, Limit);
    }

    /// <summary>Slot <paramref name="index"/> of the items, without a bounds check: the caller claimed it, so it is below <see cref="Limit"/>, which is at most the array's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T Slot(int index) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Items), index);

    /// <summary>Publishes the item that the caller wrote into the slot it claimed (release: the item is visible first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(int index) => Volatile.Write(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_ready), index), true);

    /// <summary>Waits until every producer that claimed a slot has written it (normally already true).</summary>
    public void WaitForWriters()
    {
        bool[] ready = _ready;
        for (int i = 0; i < Count; i++)
        {
            if (!Volatile.Read(ref ready[i]))
            {
                // A producer was preempted between its claim and its write: it is a few instructions from done.
                var spinner = default(SpinWait);
                while (!Volatile.Read(ref ready[i]))
                {
                    spinner.SpinOnce();
                }
            }
        }
    }

    /// <summary>The items to hand to the sink.</summary>
    public ReadOnlyMemory<T> Pending => new(Items, Start, Count - Start);

    /// <summary>
    /// Clears what the batch referenced and readies the flags for reuse. The array goes back to
    /// <see cref="ArrayPool{T}.Shared"/> unless <paramref name="keepArray"/>: the batcher keeps the arrays of the few
    /// segments it will reuse at once, so that steady state rents nothing (a pool rent under overload can allocate).
    /// </summary>
    public void Recycle(bool keepArray)
    {
        WaitForWriters();
        T[] items = Items;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(items, 0, Count);
        }

        Array.Clear(_ready, 0, Count);
        Count = 0;
        Start = 0;
        LastError = null;
        if (!keepArray && items.Length > 0)
        {
            Items = [];
            ArrayPool<T>.Shared.Return(items);
        }
    }
}

/// <summary>An <see cref="int"/> with a cache line of padding on each side.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedInt32
{
    [FieldOffset(64)]
    public int Value;
}
