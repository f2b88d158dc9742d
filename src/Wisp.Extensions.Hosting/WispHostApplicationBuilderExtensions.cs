using Wisp.Extensions.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds a Wisp node to an application builder (<c>WebApplication.CreateBuilder</c>, <c>Host.CreateApplicationBuilder</c>).</summary>
public static class WispHostApplicationBuilderExtensions
{
    /// <summary>
    /// <see cref="Microsoft.Extensions.DependencyInjection.WispServiceCollectionExtensions.AddWisp"/> on the builder's
    /// services: the <c>Wisp</c> section of the builder's configuration (appsettings.json, environment variables, the
    /// command line) sets the node.
    /// </summary>
    public static WispBuilder AddWisp(this IHostApplicationBuilder builder, Action<WispOptions>? configure = null) =>
        Microsoft.Extensions.DependencyInjection.WispServiceCollectionExtensions.AddWisp(builder.Services, configure);
}
