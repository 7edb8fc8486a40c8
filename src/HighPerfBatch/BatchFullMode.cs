namespace HighPerfBatch;

/// <summary>What a <see cref="Batcher{T}"/> does with a new item when <see cref="BatcherOptions.Capacity"/> items are already buffered.</summary>
public enum BatchFullMode
{
    /// <summary><see cref="Batcher{T}.TryAdd"/> refuses the item (counted as rejected); <see cref="Batcher{T}.AddAsync"/> waits for room.</summary>
    Wait = 0,

    /// <summary>The new item is refused and counted as rejected; <see cref="Batcher{T}.AddAsync"/> does not wait.</summary>
    DropWrite = 1,

    /// <summary>The oldest unsent items are discarded to make room for a new batch; they are counted as dropped.</summary>
    DropOldest = 2,
}
