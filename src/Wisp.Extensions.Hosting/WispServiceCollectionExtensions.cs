using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wisp;
using Wisp.Extensions.Hosting;
using Wisp.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a Wisp node to a .NET host's services.</summary>
public static class WispServiceCollectionExtensions
{
    /// <summary>
    /// Adds a node that runs for the host's lifetime: <see cref="WispOptions"/> bound from the <c>Wisp</c> configuration
    /// section (then <paramref name="configure"/>) and checked at start, the <see cref="WispRuntime"/> and its
    /// <see cref="Node"/> as singletons (built on first use: an endpoint sends to a process by name through them), and the
    /// hosted service that starts the node's services and stops them on shutdown. Returns the builder for entries made
    /// in code; a second call returns the same builder.
    /// </summary>
    public static WispBuilder AddWisp(this IServiceCollection services, Action<WispOptions>? configure = null)
    {
        var builder = services.FirstOrDefault(s => s.ServiceType == typeof(WispBuilder))?.ImplementationInstance as WispBuilder
            ?? Register(services);
        if (configure is not null) services.Configure(configure);   // after the binding, so code has the last word
        return builder;
    }

    private static WispBuilder Register(IServiceCollection services)
    {
        services.AddOptions<WispOptions>().BindConfiguration(WispOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<WispOptions>, WispOptionsDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WispOptions>, WispOptionsValidator>());
        var builder = new WispBuilder(services);
        services.AddSingleton(builder);
        services.AddSingleton(WispRuntimeFactory.Create);
        services.AddSingleton(provider => provider.GetRequiredService<WispRuntime>().Node);
        services.AddHostedService<WispNodeService>();
        return builder;
    }
}
