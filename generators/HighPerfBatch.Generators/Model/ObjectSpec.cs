namespace HighPerfBatch.Generators.Model;

/// <summary>How an object (the [Batched] type or a nested class, struct or record) is written.</summary>
/// <param name="TypeName">The fully qualified type name.</param>
/// <param name="MethodName">The name of the generated static method that writes it.</param>
/// <param name="IsValueType">True for structs: passed by <c>in</c>, never null.</param>
/// <param name="Properties">The JSON properties, in the order they are written.</param>
internal sealed record ObjectSpec(string TypeName, string MethodName, bool IsValueType, EquatableArray<PropertySpec> Properties);

/// <summary>One JSON property of an object.</summary>
/// <param name="MemberName">The C# member, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="JsonName">The JSON name, after [JsonPropertyName] or the naming policy.</param>
/// <param name="Value">How its value is written.</param>
/// <param name="Ignore">The [JsonIgnore] condition that applies at write time.</param>
internal sealed record PropertySpec(string MemberName, string JsonName, ValueSpec Value, IgnoreCondition Ignore);

/// <summary>When a property is left out (the values of System.Text.Json's <c>JsonIgnoreCondition</c> that matter when writing).</summary>
internal enum IgnoreCondition
{
    Never = 0,
    WhenWritingDefault = 2,
    WhenWritingNull = 3,
}

/// <summary>A generated helper method of the serializer: an object writer or a string-enum writer.</summary>
internal sealed record HelperSpec(ObjectSpec? Object, EnumSpec? Enum);

/// <summary>How an enum is written by name (<c>[JsonConverter(typeof(JsonStringEnumConverter))]</c>).</summary>
/// <param name="TypeName">The fully qualified enum type.</param>
/// <param name="MethodName">The generated method that writes it.</param>
/// <param name="UnderlyingType">The C# keyword of the underlying type, for undefined values written as numbers.</param>
/// <param name="IsFlags">True for [Flags] enums: combinations are written as <c>"A, B"</c>, as System.Text.Json does.</param>
/// <param name="Members">One entry per distinct value.</param>
internal sealed record EnumSpec(string TypeName, string MethodName, string UnderlyingType, bool IsFlags, EquatableArray<EnumMemberSpec> Members);

/// <summary>One enum value and its JSON name.</summary>
/// <param name="Value">The constant, as C# text of the underlying type.</param>
/// <param name="JsonName">The name written.</param>
internal sealed record EnumMemberSpec(string Value, string JsonName);
