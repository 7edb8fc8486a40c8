using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace HighPerfBatch.Tests.Hosting;

internal static class HostingTestHost
{
    /// <summary>An empty host builder (no appsettings, no environment variables) with the given configuration.</summary>
    public static HostApplicationBuilder CreateBuilder(IDictionary<string, string?>? configuration = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        return builder;
    }
}
