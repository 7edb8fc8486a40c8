namespace HighPerfBatch.Generators.Model;

/// <summary>What kind of JSON a value becomes, and so which writer call the emitter generates.</summary>
internal enum ValueKind
{
    /// <summary><c>true</c>/<c>false</c>.</summary>
    Boolean,

    /// <summary>A number written by a <c>WriteNumber</c> overload, after <see cref="ValueSpec.Cast"/> when set.</summary>
    Number,

    /// <summary>A string written by a <c>WriteString</c> overload (string, char, Guid, dates and times).</summary>
    String,

    /// <summary><c>byte[]</c>, written as a base64 string.</summary>
    Base64,

    /// <summary>An enum written by name through a generated helper.</summary>
    EnumName,

    /// <summary><c>Nullable&lt;T&gt;</c>: <c>null</c> or the element.</summary>
    Nullable,

    /// <summary>An array or list: a JSON array of the element.</summary>
    Collection,

    /// <summary>A dictionary with string keys: a JSON object of the element.</summary>
    Dictionary,

    /// <summary>A nested object written by a generated helper.</summary>
    Object,
}

/// <summary>How a collection is walked.</summary>
internal enum CollectionKind
{
    None,

    /// <summary>Indexed up to <c>Length</c>.</summary>
    Array,

    /// <summary>Indexed up to <c>Count</c>.</summary>
    List,

    /// <summary>Enumerated with <c>foreach</c> (sets and collection interfaces).</summary>
    Enumerable,
}

/// <summary>How one value is written.</summary>
/// <param name="Kind">The kind of JSON.</param>
/// <param name="TypeName">The fully qualified C# type.</param>
/// <param name="IsReferenceType">True when the value can be null at run time (written as <c>null</c>).</param>
/// <param name="Cast">For numbers and enums: the C# type to cast to before writing, or null.</param>
/// <param name="Element">For nullable, collection and dictionary values: how the element is written.</param>
/// <param name="Collection">For collections: arrays use <c>Length</c>, lists <c>Count</c>.</param>
/// <param name="HelperMethod">For objects and enum names: the generated method that writes the value.</param>
internal sealed record ValueSpec(
    ValueKind Kind,
    string TypeName,
    bool IsReferenceType,
    string? Cast = null,
    ValueSpec? Element = null,
    CollectionKind Collection = CollectionKind.None,
    string? HelperMethod = null);
