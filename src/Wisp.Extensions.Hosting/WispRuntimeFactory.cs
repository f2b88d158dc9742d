using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wisp.Cluster;
using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Extensions.Hosting;

/// <summary>
/// Makes the node of a .NET host from its checked options, the builder's entries and the host's services: logs through
/// the host's <see cref="ILoggerFactory"/>, its meter from the host's <see cref="IMeterFactory"/>, time from a registered
/// <see cref="TimeProvider"/>, a cluster when configured;
/// every host of the node offers the host's <see cref="IServiceProvider"/> to its processes.
/// </summary>
internal static class WispRuntimeFactory
{
    public static WispRuntime Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<WispOptions>>().Value;
        var builder = services.GetRequiredService<WispBuilder>();
        var runtimeOptions = new WispRuntimeOptions
        {
            SourceDirectory = options.SourceDirectory,
            Entries = builder.Entries,
            Assemblies = [.. EntryAssembly(), .. builder.Assemblies],
            ProcessKinds = builder.ProcessKinds.Select(kind => kind(services)).ToList(),
            LoggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            MeterFactory = services.GetService<IMeterFactory>(),
            Time = services.GetService<TimeProvider>() ?? TimeProvider.System,
            HostStopTimeout = options.HostStopTimeout,
            NodeName = options.NodeName,
            DefaultScope = options.DefaultScope,
            Overrides = options.Overrides.Select(EntryOverride.Parse).ToList(),
        };
        if (options.Cluster is { } cluster) runtimeOptions = new ClusterExtension(cluster).ForRuntime(runtimeOptions);

        var runtime = WispRuntime.Load(runtimeOptions);
        var hosts = runtime.Entries.OfType<ProcessHostEntry>().Select(h => h.Id.ToString())
            .Concat(runtime.Entries.OfType<TerminalHostEntry>().Select(h => h.Id.ToString()))
            .Append(Supervisor.ControlHost);
        foreach (var host in hosts) runtime.Node.FindHost(host)?.SetFeature<IServiceProvider>(services);
        return runtime;
    }

    private static IEnumerable<Assembly> EntryAssembly() => Assembly.GetEntryAssembly() is { } entry ? [entry] : [];
}
