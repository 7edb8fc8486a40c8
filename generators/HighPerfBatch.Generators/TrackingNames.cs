namespace HighPerfBatch.Generators;

/// <summary>Names of the pipeline steps, used with <c>WithTrackingName</c> and by the incremental tests.</summary>
public static class TrackingNames
{
    /// <summary>The [Batched] types found and parsed (model and diagnostics).</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The models of the types that can be generated.</summary>
    public const string Model = nameof(Model);

    /// <summary>The diagnostics of each type.</summary>
    public const string Diagnostics = nameof(Diagnostics);
}
