using HighPerfBatch;

namespace Tests;

[Batched(MaxBatchSize = 0)]
public partial record struct ZeroBatch(int Value);

[Batched(FlushIntervalMilliseconds = -5)]
public partial record struct NegativeInterval(int Value);

[Batched(MaxBatchSize = 2000000, Format = (BatchFormat)7, NamingPolicy = (System.Text.Json.Serialization.JsonKnownNamingPolicy)99)]
public partial record struct Everything(int Value);
