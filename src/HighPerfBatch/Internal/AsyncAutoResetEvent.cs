using System.Threading.Tasks.Sources;

namespace HighPerfBatch.Internal;

/// <summary>
/// An auto-reset event with a single asynchronous waiter that allocates nothing, neither to wait nor to signal.
/// </summary>
/// <remarks>
/// Many threads may call <see cref="Set"/>; exactly one consumer calls <see cref="WaitAsync"/> and awaits the result
/// before calling it again. Continuations always run on the thread pool, never inline in <see cref="Set"/>: a producer
/// that wakes the send loop must not end up running it.
/// </remarks>
internal sealed class AsyncAutoResetEvent : IValueTaskSource
{
    private const int Idle = 0;
    private const int Signaled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;

    /// <summary>Wakes the waiter, or lets its next wait complete at once. Signals do not accumulate.</summary>
    public void Set()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Signaled:
                    return;
                case Idle:
                    if (Interlocked.CompareExchange(ref _state, Signaled, Idle) == Idle)
                    {
                        return;
                    }

                    break;
                default:
                    // Only the thread that moves Waiting -> Idle completes the waiter, so SetResult runs once per wait.
                    if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
                    {
                        _core.SetResult(true);
                        return;
                    }

                    break;
            }
        }
    }

    /// <summary>Completes when <see cref="Set"/> is called (at once if it was called since the last wait).</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled)
        {
            return default;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle)
        {
            return new ValueTask(this, _core.Version);
        }

        // Set ran between the two exchanges: consume that signal instead of waiting.
        Volatile.Write(ref _state, Idle);
        return default;
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
