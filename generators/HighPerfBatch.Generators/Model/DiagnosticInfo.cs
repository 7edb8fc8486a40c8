using System.Linq;
using Microsoft.CodeAnalysis;

namespace HighPerfBatch.Generators.Model;

/// <summary>A diagnostic to report, with equality, so that it can travel through the incremental pipeline.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public Diagnostic ToDiagnostic(Compilation compilation)
        => Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), MessageArgs.ToArray<object>());
}
