using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wisp.Hosting;

namespace Wisp.Dashboard;

/// <summary>
/// Serves a node's dashboard in the browser: a page with its processes, services, supervision tree and rates, updated
/// live by server-sent events. Added through <see cref="WispRuntimeOptions.Extensions"/>, it starts with the node
/// (before its services, so it shows them starting) and stops after the node's hosts.
/// </summary>
public sealed class DashboardExtension(DashboardOptions options) : INodeExtension
{
    private WebApplication? _app;
    private RateSampler? _rates;

    public DashboardOptions Options { get; } = options;

    /// <summary>The token that cancel and terminate need.</summary>
    public string Token { get; } = options.Token ?? ActionToken.Generate();

    /// <summary>The page's address once started (with the port taken when <see cref="DashboardOptions.Address"/> asked for 0).</summary>
    public Uri? Address { get; private set; }

    /// <summary>Adds the dashboard to a runtime's extensions.</summary>
    public WispRuntimeOptions ForRuntime(WispRuntimeOptions runtime) => runtime with { Extensions = [.. runtime.Extensions, this] };

    public async Task StartAsync(WispRuntime runtime, CancellationToken cancellation)
    {
        var endpoint = DashboardAddress.Parse(Options.Address, Options.AllowRemote);
        // Only what is set here: no appsettings.json, environment or arguments reach the dashboard's server.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        if (Options.LoggerFactory is { } logs) builder.Logging.AddProvider(new ForwardedLogs(logs));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);   // the address is announced once, not logged
        builder.Services.AddSingleton<IHostLifetime, NodeLifetime>();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
        var app = builder.Build();
        if (!Options.AllowRemote) LoopbackHostFilter.Use(app);
        var rates = new RateSampler(runtime.Node.Metrics.Meter, runtime.Node.Time, Options.Interval, Options.History);
        StaticPage.Map(app);
        DashboardApi.Map(app, new NodeView(runtime, rates, Options), runtime.Node, new ActionToken(Token), Options.Interval);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException e)   // the port is taken: the node does not start, and says where
        {
            await app.DisposeAsync();
            await rates.DisposeAsync();
            throw new WispException(ErrorKind.Unavailable, $"dashboard: cannot listen on {Options.Address}: {e.Message}");
        }
        (_app, _rates) = (app, rates);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Address = new Uri(bound.EndsWith('/') ? bound : bound + "/");
        Options.Announce?.WriteLine($"dashboard: {Address}#token={Token} (the token allows cancel and terminate)");
    }

    public async ValueTask StopAsync()
    {
        if (_app is { } app)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        if (_rates is { } rates) await rates.DisposeAsync();
    }
}
