using Microsoft.CodeAnalysis;

namespace HighPerfBatch.Generators;

/// <summary>The diagnostics of the [Batched] generator. Every one is an error: the generator emits nothing for a type that has one.</summary>
public static class DiagnosticDescriptors
{
    private const string Category = "HighPerfBatch";

    /// <summary>HPB001: the [Batched] type, or a type that contains it, is not partial.</summary>
    public static readonly DiagnosticDescriptor MustBePartial = new(
        id: "HPB001",
        title: "[Batched] type must be partial",
        messageFormat: "The [Batched] type '{0}' must be declared partial, and so must every type that contains it: add the 'partial' modifier to '{1}'",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator adds the IBatchable<T> implementation to the type itself and declares the batcher and serializer beside it, which needs every enclosing declaration to be partial.");

    /// <summary>HPB002: a serialized member has a type the generator cannot write.</summary>
    public static readonly DiagnosticDescriptor UnsupportedMemberType = new(
        id: "HPB002",
        title: "Member type is not supported by [Batched]",
        messageFormat: "Member '{0}' has type '{1}', which [Batched] cannot serialize{2}: use a supported type (bool, numbers, string, char, Guid, DateTime, DateTimeOffset, DateOnly, TimeOnly, TimeSpan, enums, Nullable<T>, arrays, List<T>, IReadOnlyList<T>, dictionaries with string keys, or a class/struct/record of such members) or exclude the member with [JsonIgnore]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>HPB003: an argument of [Batched] is out of range.</summary>
    public static readonly DiagnosticDescriptor InvalidAttributeArgument = new(
        id: "HPB003",
        title: "Invalid [Batched] argument",
        messageFormat: "[Batched] argument {0} = {1} is invalid: {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>HPB004: the [Batched] type is generic or nested in a generic type.</summary>
    public static readonly DiagnosticDescriptor GenericTypeNotSupported = new(
        id: "HPB004",
        title: "[Batched] type must not be generic",
        messageFormat: "The [Batched] type '{0}' is generic or nested in a generic type: declare a non-generic event type (a closed generic type can still be used as a member)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>HPB005: nested object types refer to each other in a cycle.</summary>
    public static readonly DiagnosticDescriptor TypeCycle = new(
        id: "HPB005",
        title: "Cycle among serialized types",
        messageFormat: "Member '{0}' makes a cycle among serialized types ({1}): a batch writer cannot write a type that contains itself; break the cycle with [JsonIgnore] or flatten the data",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>HPB006: two members have the same JSON name.</summary>
    public static readonly DiagnosticDescriptor DuplicatePropertyName = new(
        id: "HPB006",
        title: "Duplicate JSON property name",
        messageFormat: "Member '{0}' of '{1}' is written with the JSON name '{2}', which another member already uses: give one of them a different [JsonPropertyName] or exclude it with [JsonIgnore]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>HPB007: the [Batched] type is a ref struct.</summary>
    public static readonly DiagnosticDescriptor RefStructNotSupported = new(
        id: "HPB007",
        title: "[Batched] type must not be a ref struct",
        messageFormat: "The [Batched] type '{0}' is a ref struct, which cannot be buffered by a batcher: remove the 'ref' modifier",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>HPB008: a [JsonInclude] member is not accessible to the generated code.</summary>
    public static readonly DiagnosticDescriptor InaccessibleMember = new(
        id: "HPB008",
        title: "[JsonInclude] member is not accessible",
        messageFormat: "Member '{0}' is marked [JsonInclude] but the generated serializer cannot read it: make it (and its getter) public or internal",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>HPB009: a member has a [JsonConverter] the generator cannot honour.</summary>
    public static readonly DiagnosticDescriptor UnsupportedConverter = new(
        id: "HPB009",
        title: "[JsonConverter] is not supported by [Batched]",
        messageFormat: "Member '{0}' uses [JsonConverter(typeof({1}))], which the generated serializer cannot run: only JsonStringEnumConverter on enum members is supported; remove the attribute or change the member's type",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>HPB010: the [Batched] type is a static class.</summary>
    public static readonly DiagnosticDescriptor StaticTypeNotSupported = new(
        id: "HPB010",
        title: "[Batched] type must not be static",
        messageFormat: "The [Batched] type '{0}' is a static class, which has no instances to batch: remove the 'static' modifier",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
