using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using HighPerfBatch.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HighPerfBatch.Generators;

public sealed partial class BatchedGenerator
{
    internal const string BatchedAttributeName = "HighPerfBatch.BatchedAttribute";

    // MaxBatchSize bounds of BatcherOptions (BatcherOptions.MaxBatchSizeLimit).
    private const int MaxBatchSizeLimit = 1 << 20;

    private const string JsonNamespace = "System.Text.Json.Serialization.";

    /// <summary>What parsing one [Batched] type gives: a model when the type can be generated, and its diagnostics.</summary>
    internal sealed record ParseResult(BatchedTypeSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>Turns the symbols of one [Batched] type into a <see cref="BatchedTypeSpec"/>, collecting diagnostics.</summary>
    internal sealed class Parser
    {
        private readonly Compilation _compilation;
        private readonly INamedTypeSymbol _root;
        private readonly ISymbol _accessWithin;
        private readonly int _namingPolicy;
        private readonly CancellationToken _cancellationToken;
        private readonly List<DiagnosticInfo> _diagnostics = new();
        private readonly List<HelperSpec> _helpers = new();

        // Helper method per type already parsed (null: the type could not be parsed and its errors were reported).
        private readonly Dictionary<ITypeSymbol, string?> _helperMethods = new(SymbolEqualityComparer.Default);
        private readonly HashSet<string> _methodNames = new(System.StringComparer.Ordinal) { "WriteObject", "Write", "WriteItem", "WritePrefix", "WriteSuffix" };

        // The object types being parsed, outermost first: a member whose type is on this path makes a cycle.
        private readonly List<INamedTypeSymbol> _path = new();

        private Parser(Compilation compilation, INamedTypeSymbol root, int namingPolicy, CancellationToken cancellationToken)
        {
            _compilation = compilation;
            _root = root;
            _accessWithin = (ISymbol?)root.ContainingType ?? compilation.Assembly;
            _namingPolicy = namingPolicy;
            _cancellationToken = cancellationToken;
        }

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            var attribute = context.Attributes[0];
            var diagnostics = new List<DiagnosticInfo>();
            var identifier = LocationInfo.From(syntax.Identifier.GetLocation());

            // The type and every type around it must be partial.
            for (SyntaxNode? node = syntax; node is TypeDeclarationSyntax declaration; node = node.Parent)
            {
                if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(Create(DiagnosticDescriptors.MustBePartial, identifier, type.Name, declaration.Identifier.Text));
                    break;
                }
            }

            for (var t = type; t is not null; t = t.ContainingType)
            {
                if (t.TypeParameters.Length > 0)
                {
                    diagnostics.Add(Create(DiagnosticDescriptors.GenericTypeNotSupported, identifier, type.Name));
                    break;
                }
            }

            if (type.IsRefLikeType)
            {
                diagnostics.Add(Create(DiagnosticDescriptors.RefStructNotSupported, identifier, type.Name));
            }

            if (type.IsStatic)
            {
                diagnostics.Add(Create(DiagnosticDescriptors.StaticTypeNotSupported, identifier, type.Name));
            }

            int? maxBatchSize = null;
            int? flushInterval = null;
            var format = 0;
            var namingPolicy = JsonNaming.CamelCase;
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Value.Value is not int value)
                {
                    continue;
                }

                var location = ArgumentLocation(attribute, argument.Key, cancellationToken) ?? identifier;
                switch (argument.Key)
                {
                    case "MaxBatchSize":
                        maxBatchSize = value;
                        if (value is < 1 or > MaxBatchSizeLimit)
                        {
                            diagnostics.Add(Create(DiagnosticDescriptors.InvalidAttributeArgument, location, "MaxBatchSize", Text(value), "it must be between 1 and 1048576 (BatcherOptions.MaxBatchSizeLimit); remove it to use the BatcherOptions default"));
                        }

                        break;
                    case "FlushIntervalMilliseconds":
                        flushInterval = value;
                        if (value < 1)
                        {
                            diagnostics.Add(Create(DiagnosticDescriptors.InvalidAttributeArgument, location, "FlushIntervalMilliseconds", Text(value), "it must be a positive number of milliseconds; remove it to use the BatcherOptions default"));
                        }

                        break;
                    case "Format":
                        format = value;
                        if (value is not (0 or 1))
                        {
                            diagnostics.Add(Create(DiagnosticDescriptors.InvalidAttributeArgument, location, "Format", Text(value), "use BatchFormat.NdJson or BatchFormat.JsonArray"));
                        }

                        break;
                    case "NamingPolicy":
                        namingPolicy = value;
                        if (!JsonNaming.IsKnown(value))
                        {
                            diagnostics.Add(Create(DiagnosticDescriptors.InvalidAttributeArgument, location, "NamingPolicy", Text(value), "use a defined JsonKnownNamingPolicy value"));
                        }

                        break;
                }
            }

            var parser = new Parser(context.SemanticModel.Compilation, type, namingPolicy, cancellationToken);
            var root = diagnostics.Count == 0 ? parser.ParseObject(type, identifier) : null;
            diagnostics.AddRange(parser._diagnostics);

            if (root is null || diagnostics.Count > 0)
            {
                return new ParseResult(null, diagnostics.ToEquatableArray());
            }

            var containing = new List<ContainingTypeSpec>();
            for (var node = syntax.Parent as TypeDeclarationSyntax; node is not null; node = node.Parent as TypeDeclarationSyntax)
            {
                containing.Insert(0, new ContainingTypeSpec(Keyword(node), node.Identifier.ValueText));
            }

            var spec = new BatchedTypeSpec(
                Namespace: type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
                ContainingTypes: containing.ToEquatableArray(),
                Name: type.Name,
                Keyword: Keyword(syntax),
                Accessibility: AccessibilityText(type.DeclaredAccessibility),
                TypeName: FullName(type),
                Format: format,
                MaxBatchSize: maxBatchSize,
                FlushIntervalMilliseconds: flushInterval,
                Root: root,
                Helpers: parser._helpers.ToEquatableArray());
            return new ParseResult(spec, EquatableArray<DiagnosticInfo>.Empty);
        }

        private ObjectSpec? ParseObject(INamedTypeSymbol type, LocationInfo? fallbackLocation)
        {
            _path.Add(type);
            try
            {
                var properties = new List<(PropertySpec Property, int Order)>();
                var names = new HashSet<string>(System.StringComparer.Ordinal);
                var ok = true;
                foreach (var member in SerializedMembers(type))
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    var location = LocationInfo.From(member.Locations.FirstOrDefault()) ?? fallbackLocation;
                    var memberType = member is IPropertySymbol p ? p.Type : ((IFieldSymbol)member).Type;
                    var attributes = member.GetAttributes();

                    var ignore = IgnoreCondition.Never;
                    string? jsonName = null;
                    var order = 0;
                    var nameEnums = false;
                    foreach (var attribute in attributes)
                    {
                        switch (attribute.AttributeClass?.ToDisplayString())
                        {
                            case JsonNamespace + "JsonIgnoreAttribute":
                                ignore = NamedInt(attribute, "Condition") is { } condition ? (IgnoreCondition)condition : IgnoreCondition.Never;
                                break;
                            case JsonNamespace + "JsonPropertyNameAttribute":
                                jsonName = attribute.ConstructorArguments.FirstOrDefault().Value as string;
                                break;
                            case JsonNamespace + "JsonPropertyOrderAttribute":
                                order = attribute.ConstructorArguments.FirstOrDefault().Value is int o ? o : 0;
                                break;
                            case JsonNamespace + "JsonConverterAttribute":
                                var converter = attribute.ConstructorArguments.FirstOrDefault().Value as ITypeSymbol;
                                if (IsStringEnumConverter(converter) && IsEnumOrNullableEnum(memberType))
                                {
                                    nameEnums = true;
                                }
                                else
                                {
                                    Report(DiagnosticDescriptors.UnsupportedConverter, location, member.Name, converter?.ToDisplayString() ?? "?");
                                    ok = false;
                                }

                                break;
                        }
                    }

                    var value = ResolveValue(memberType, member, location, nameEnums);
                    if (value is null)
                    {
                        ok = false;
                        continue;
                    }

                    jsonName ??= JsonNaming.Convert(member.Name, _namingPolicy);
                    if (!names.Add(jsonName))
                    {
                        Report(DiagnosticDescriptors.DuplicatePropertyName, location, member.Name, type.Name, jsonName);
                        ok = false;
                        continue;
                    }

                    properties.Add((new PropertySpec(EscapeIdentifier(member.Name), jsonName, value, ignore), order));
                }

                if (!ok)
                {
                    return null;
                }

                // [JsonPropertyOrder] first, then declaration order (OrderBy is stable).
                var ordered = properties.OrderBy(p => p.Order).Select(p => p.Property).ToEquatableArray();
                var methodName = SymbolEqualityComparer.Default.Equals(type, _root) ? "WriteObject" : UniqueMethodName(type.Name);
                return new ObjectSpec(FullName(type), methodName, type.IsValueType, ordered);
            }
            finally
            {
                _path.RemoveAt(_path.Count - 1);
            }
        }

        // Public instance properties with a public getter, and members marked [JsonInclude]: what System.Text.Json
        // serializes, in its order: the type's own members first, then those of each base type; a member redeclared
        // (override or new) in a derived type is taken from the derived type.
        private IEnumerable<ISymbol> SerializedMembers(INamedTypeSymbol type)
        {
            var levels = new List<List<ISymbol>>();
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
            {
                var level = new List<ISymbol>();
                foreach (var member in t.GetMembers())
                {
                    if (member.IsStatic)
                    {
                        continue;
                    }

                    // [JsonIgnore] without a condition means Always; a member ignored in a derived type hides the base one.
                    var ignoredAlways = HasAttribute(member, "JsonIgnoreAttribute", out var ignore) && (NamedInt(ignore!, "Condition") ?? 1) == 1;

                    if (member is IPropertySymbol property && !property.IsIndexer && property.ExplicitInterfaceImplementations.IsEmpty)
                    {
                        if (ignoredAlways)
                        {
                            seen.Add(member.Name);
                            continue;
                        }

                        var isPublic = property.DeclaredAccessibility == Accessibility.Public && property.GetMethod?.DeclaredAccessibility == Accessibility.Public;
                        if (!isPublic && !HasAttribute(member, "JsonIncludeAttribute", out _))
                        {
                            continue;
                        }

                        if (!isPublic && (property.GetMethod is null || !_compilation.IsSymbolAccessibleWithin(property.GetMethod, _accessWithin)))
                        {
                            Report(DiagnosticDescriptors.InaccessibleMember, LocationInfo.From(member.Locations.FirstOrDefault()), member.Name);
                            continue;
                        }

                        if (property.GetMethod is null || !seen.Add(member.Name))
                        {
                            continue;
                        }

                        level.Add(member);
                    }
                    else if (member is IFieldSymbol field && HasAttribute(member, "JsonIncludeAttribute", out _))
                    {
                        if (ignoredAlways)
                        {
                            seen.Add(member.Name);
                            continue;
                        }

                        if (!_compilation.IsSymbolAccessibleWithin(field, _accessWithin))
                        {
                            Report(DiagnosticDescriptors.InaccessibleMember, LocationInfo.From(member.Locations.FirstOrDefault()), member.Name);
                            continue;
                        }

                        if (seen.Add(member.Name))
                        {
                            level.Add(field);
                        }
                    }
                }

                levels.Add(level);
            }

            foreach (var level in levels)
            {
                foreach (var member in level)
                {
                    yield return member;
                }
            }
        }

        private ValueSpec? ResolveValue(ITypeSymbol type, ISymbol member, LocationInfo? location, bool nameEnums)
        {
            var name = FullName(type);
            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean:
                    return new ValueSpec(ValueKind.Boolean, name, false);
                case SpecialType.System_SByte:
                case SpecialType.System_Byte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                    return new ValueSpec(ValueKind.Number, name, false, Cast: "int");
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                case SpecialType.System_Decimal:
                    return new ValueSpec(ValueKind.Number, name, false);
                case SpecialType.System_IntPtr:
                    return new ValueSpec(ValueKind.Number, name, false, Cast: "long");
                case SpecialType.System_UIntPtr:
                    return new ValueSpec(ValueKind.Number, name, false, Cast: "ulong");
                case SpecialType.System_Char:
                case SpecialType.System_DateTime:
                    return new ValueSpec(ValueKind.String, name, false);
                case SpecialType.System_String:
                    return new ValueSpec(ValueKind.String, name, true);
            }

            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank != 1)
                {
                    return Unsupported(member, type, location, " (only one-dimensional arrays are)");
                }

                if (array.ElementType.SpecialType == SpecialType.System_Byte)
                {
                    return new ValueSpec(ValueKind.Base64, name, true);
                }

                var element = ResolveValue(array.ElementType, member, location, nameEnums: false);
                return element is null ? null : new ValueSpec(ValueKind.Collection, name, true, Element: element, Collection: CollectionKind.Array);
            }

            if (type is not INamedTypeSymbol named || type.TypeKind is TypeKind.Error)
            {
                return Unsupported(member, type, location, string.Empty);
            }

            if (named.TypeKind == TypeKind.Enum)
            {
                var underlying = Keyword(named.EnumUnderlyingType!.SpecialType);
                if (nameEnums || IsStringEnumConverter(ConverterOf(named)))
                {
                    return new ValueSpec(ValueKind.EnumName, name, false, Cast: underlying, HelperMethod: EnumHelper(named, underlying));
                }

                return new ValueSpec(ValueKind.Number, name, false, Cast: underlying);
            }

            var definition = named.OriginalDefinition.ToDisplayString();
            switch (definition)
            {
                case "System.Guid":
                case "System.DateTimeOffset":
                case "System.DateOnly":
                case "System.TimeOnly":
                case "System.TimeSpan":
                    return new ValueSpec(ValueKind.String, name, false);
                case "System.Int128":
                case "System.UInt128":
                case "System.Half":
                    return new ValueSpec(ValueKind.Number, name, false);
                case "System.Collections.Generic.List<T>":
                case "System.Collections.Generic.IReadOnlyList<T>":
                case "System.Collections.Generic.IList<T>":
                {
                    var element = ResolveValue(named.TypeArguments[0], member, location, nameEnums: false);
                    return element is null ? null : new ValueSpec(ValueKind.Collection, name, true, Element: element, Collection: CollectionKind.List);
                }

                case "System.Collections.Generic.IEnumerable<T>":
                case "System.Collections.Generic.ICollection<T>":
                case "System.Collections.Generic.IReadOnlyCollection<T>":
                case "System.Collections.Generic.ISet<T>":
                case "System.Collections.Generic.IReadOnlySet<T>":
                case "System.Collections.Generic.HashSet<T>":
                {
                    var element = ResolveValue(named.TypeArguments[0], member, location, nameEnums: false);
                    return element is null ? null : new ValueSpec(ValueKind.Collection, name, true, Element: element, Collection: CollectionKind.Enumerable);
                }

                case "System.Collections.Generic.Dictionary<TKey, TValue>":
                case "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>":
                case "System.Collections.Generic.IDictionary<TKey, TValue>":
                {
                    if (named.TypeArguments[0].SpecialType != SpecialType.System_String)
                    {
                        return Unsupported(member, type, location, " (dictionary keys must be string)");
                    }

                    var element = ResolveValue(named.TypeArguments[1], member, location, nameEnums: false);
                    return element is null ? null : new ValueSpec(ValueKind.Dictionary, name, true, Element: element);
                }
            }

            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                var element = ResolveValue(named.TypeArguments[0], member, location, nameEnums);
                return element is null ? null : new ValueSpec(ValueKind.Nullable, name, false, Element: element);
            }

            if (IsUserObject(named))
            {
                if (!_compilation.IsSymbolAccessibleWithin(named, _accessWithin))
                {
                    return Unsupported(member, type, location, " (it is not accessible from the generated serializer)");
                }

                var method = ObjectHelper(named, member, location);
                return method is null ? null : new ValueSpec(ValueKind.Object, name, !named.IsValueType, HelperMethod: method);
            }

            return Unsupported(member, type, location, string.Empty);
        }

        private static bool IsUserObject(INamedTypeSymbol type)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsAbstract || type.IsRefLikeType || type.IsStatic)
            {
                return false;
            }

            // Framework types other than the ones listed above (Uri, object, Task, ...) have no meaningful public shape.
            var ns = type.ContainingNamespace;
            while (ns is { ContainingNamespace.IsGlobalNamespace: false })
            {
                ns = ns.ContainingNamespace;
            }

            if (ns is { Name: "System" or "Microsoft" })
            {
                return false;
            }

            // System.Text.Json writes a type that implements IEnumerable as a collection, not as an object.
            if (type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable))
            {
                return false;
            }

            return true;
        }

        private string? ObjectHelper(INamedTypeSymbol type, ISymbol member, LocationInfo? location)
        {
            if (_path.Contains(type, SymbolEqualityComparer.Default))
            {
                var chain = string.Join(" -> ", _path.SkipWhile(t => !SymbolEqualityComparer.Default.Equals(t, type)).Select(t => t.Name).Concat(new[] { type.Name }));
                Report(DiagnosticDescriptors.TypeCycle, location, member.Name, chain);
                return null;
            }

            if (_helperMethods.TryGetValue(type, out var known))
            {
                return known;
            }

            var spec = ParseObject(type, location);
            _helperMethods[type] = spec?.MethodName;
            if (spec is not null)
            {
                _helpers.Add(new HelperSpec(spec, null));
            }

            return spec?.MethodName;
        }

        private string EnumHelper(INamedTypeSymbol type, string underlying)
        {
            if (_helperMethods.TryGetValue(type, out var known))
            {
                return known!;
            }

            var members = new List<EnumMemberSpec>();
            var values = new HashSet<object>();
            foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
            {
                if (!field.HasConstantValue || field.ConstantValue is null || !values.Add(field.ConstantValue))
                {
                    continue;
                }

                var jsonName = field.Name;
                foreach (var attribute in field.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() == JsonNamespace + "JsonStringEnumMemberNameAttribute"
                        && attribute.ConstructorArguments.FirstOrDefault().Value is string custom)
                    {
                        jsonName = custom;
                    }
                }

                members.Add(new EnumMemberSpec(System.Convert.ToString(field.ConstantValue, CultureInfo.InvariantCulture)!, jsonName));
            }

            var isFlags = type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute");
            var method = UniqueMethodName(type.Name);
            _helperMethods[type] = method;
            _helpers.Add(new HelperSpec(null, new EnumSpec(FullName(type), method, underlying, isFlags, members.ToEquatableArray())));
            return method;
        }

        private string UniqueMethodName(string typeName)
        {
            var candidate = "Write" + typeName;
            for (var i = 2; !_methodNames.Add(candidate); i++)
            {
                candidate = "Write" + typeName + i.ToString(CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        private ValueSpec? Unsupported(ISymbol member, ITypeSymbol type, LocationInfo? location, string reason)
        {
            Report(DiagnosticDescriptors.UnsupportedMemberType, location, member.Name, type.ToDisplayString(), reason);
            return null;
        }

        private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args)
            => _diagnostics.Add(Create(descriptor, location, args));

        private static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args)
            => new(descriptor, location, args.ToEquatableArray());

        private static bool HasAttribute(ISymbol symbol, string name, out AttributeData? attribute)
        {
            foreach (var candidate in symbol.GetAttributes())
            {
                if (candidate.AttributeClass?.ToDisplayString() == JsonNamespace + name)
                {
                    attribute = candidate;
                    return true;
                }
            }

            attribute = null;
            return false;
        }

        private static int? NamedInt(AttributeData attribute, string name)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Value is int value)
                {
                    return value;
                }
            }

            return null;
        }

        private static ITypeSymbol? ConverterOf(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == JsonNamespace + "JsonConverterAttribute")
                {
                    return attribute.ConstructorArguments.FirstOrDefault().Value as ITypeSymbol;
                }
            }

            return null;
        }

        private static bool IsStringEnumConverter(ITypeSymbol? converter)
            => converter is INamedTypeSymbol named
               && named.OriginalDefinition.ToDisplayString() is JsonNamespace + "JsonStringEnumConverter" or JsonNamespace + "JsonStringEnumConverter<TEnum>";

        private static bool IsEnumOrNullableEnum(ITypeSymbol type)
            => type.TypeKind == TypeKind.Enum
               || (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable && nullable.TypeArguments[0].TypeKind == TypeKind.Enum);

        private static LocationInfo? ArgumentLocation(AttributeData attribute, string name, CancellationToken cancellationToken)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } list })
            {
                foreach (var argument in list.Arguments)
                {
                    if (argument.NameEquals?.Name.Identifier.ValueText == name)
                    {
                        return LocationInfo.From(argument.GetLocation());
                    }
                }
            }

            return null;
        }

        private static string FullName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string EscapeIdentifier(string name)
            => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        private static string Keyword(TypeDeclarationSyntax declaration) => declaration switch
        {
            RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
            RecordDeclarationSyntax => "record",
            StructDeclarationSyntax => "struct",
            InterfaceDeclarationSyntax => "interface",
            _ => "class",
        };

        // The WriteNumber overload an enum's underlying type is written with.
        private static string Keyword(SpecialType type) => type switch
        {
            SpecialType.System_UInt32 => "uint",
            SpecialType.System_Int64 => "long",
            SpecialType.System_UInt64 => "ulong",
            _ => "int",
        };

        private static string AccessibilityText(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Private => "private",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "internal",
        };
    }
}
