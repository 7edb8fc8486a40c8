using System.Text.Json;
using System.Text.Json.Serialization;

namespace HighPerfBatch;

/// <summary>
/// Marks a <see langword="partial"/> record, class or struct as an event type: at compile time the HighPerfBatch
/// generator emits a typed batcher (<c>{Name}Batcher</c>) and a reflection-free UTF-8 JSON serializer
/// (<c>{Name}BatchSerializer</c>) beside it, and makes the type implement <see cref="IBatchable{TSelf}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class BatchedAttribute : Attribute
{
    /// <summary>Default <see cref="BatcherOptions.MaxBatchSize"/> for this type's batcher; unset means the <see cref="BatcherOptions"/> default.</summary>
    public int MaxBatchSize { get; set; }

    /// <summary>Default <see cref="BatcherOptions.FlushInterval"/> in milliseconds for this type's batcher; unset means the <see cref="BatcherOptions"/> default.</summary>
    public int FlushIntervalMilliseconds { get; set; }

    /// <summary>How batches are laid out. Defaults to <see cref="BatchFormat.NdJson"/>.</summary>
    public BatchFormat Format { get; set; } = BatchFormat.NdJson;

    /// <summary>How property names are written. Defaults to camelCase, like <see cref="JsonSerializerDefaults.Web"/>.</summary>
    public JsonKnownNamingPolicy NamingPolicy { get; set; } = JsonKnownNamingPolicy.CamelCase;
}
