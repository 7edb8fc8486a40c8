using System.Buffers;
using System.Collections.Concurrent;

namespace HighPerfBatch.Internal;

/// <summary>
/// A <see cref="MemoryPool{T}"/> of fixed-size blocks whose owner objects are reused, so that renting a pipe segment
/// allocates nothing once the pool is warm (<see cref="MemoryPool{T}.Shared"/> allocates an owner per rent).
/// </summary>
/// <remarks>
/// A block is in the queue or rented, never both: <see cref="Block.Dispose"/> returns it once per rent (a second
/// dispose is ignored), and at most <c>maxRetained</c> blocks are kept; the rest are left to the GC.
/// </remarks>
internal sealed class BlockMemoryPool : MemoryPool<byte>
{
    /// <summary>Size of every block: the pipe writer's segment size.</summary>
    public const int BlockSize = 64 * 1024;

    private readonly ConcurrentQueue<Block> _blocks = new();
    private readonly int _maxRetained;
    private int _retained;

    public BlockMemoryPool(int maxRetained) => _maxRetained = maxRetained;

    /// <summary>The pool of all HTTP sinks: 256 blocks (4 MiB) retained at most.</summary>
    public static BlockMemoryPool SharedBlocks { get; } = new(maxRetained: 128);

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_blocks.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            block.OnRented();
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= _maxRetained)
        {
            _blocks.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }

    private sealed class Block : IMemoryOwner<byte>
    {
        private readonly BlockMemoryPool _pool;
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize);
        private int _returned;

        public Block(BlockMemoryPool pool) => _pool = pool;

        public Memory<byte> Memory => _array;

        public void OnRented() => Volatile.Write(ref _returned, 0);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                _pool.Return(this);
            }
        }
    }
}
