using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Wisp.Extensions.Hosting;

/// <summary>
/// Completes the bound options before they are checked: the source folder made absolute from the host's content root
/// (the current directory without a host environment), and a cluster's node name and listen address filled in where the
/// section leaves them out.
/// </summary>
internal sealed class WispOptionsDefaults(IHostEnvironment? environment = null) : IPostConfigureOptions<WispOptions>
{
    public void PostConfigure(string? name, WispOptions options)
    {
        options.SourceDirectory = options.SourceDirectory is { Length: > 0 } folder
            ? Path.GetFullPath(folder, environment?.ContentRootPath ?? Directory.GetCurrentDirectory())
            : null;   // an empty value (Wisp__SourceDirectory=) means no folder
        if (options.Cluster is not { } cluster) return;
        if (string.IsNullOrEmpty(cluster.NodeName)) cluster = cluster with { NodeName = options.NodeName };
        else if (options.NodeName.Length == 0) options.NodeName = cluster.NodeName;
        options.Cluster = cluster with { Listen = cluster.Listen ?? "127.0.0.1:0" };
    }
}
