namespace HighPerfBatch;

/// <summary>How a generated serializer lays out a batch.</summary>
public enum BatchFormat
{
    /// <summary>Newline-delimited JSON: one object per line, each followed by <c>\n</c> (<c>application/x-ndjson</c>).</summary>
    NdJson = 0,

    /// <summary>One JSON array of objects: <c>[{...},{...}]</c> (<c>application/json</c>).</summary>
    JsonArray = 1,
}
