using Microsoft.CodeAnalysis;

namespace HighPerfBatch.Generators.Model;

/// <summary>A diagnostic to report, with equality, so that it can travel through the incremental pipeline.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArgs.ToArray<object>());
}
