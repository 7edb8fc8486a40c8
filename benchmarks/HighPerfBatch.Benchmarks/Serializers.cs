namespace HighPerfBatch.Benchmarks;

/// <summary>The serializer the "ours" benchmarks use: the one the generator emits for <see cref="BenchEvent"/>.</summary>
internal static class Serializers
{
    public static IBatchSerializer<BenchEvent> Ours => BenchEventBatchSerializer.Instance;
}
