using System.CommandLine;
using Wisp.Dashboard;
using Wisp.Hosting;

namespace Wisp.Cli;

/// <summary>
/// The options that serve the node's dashboard in the browser while a command runs: <c>--dashboard [HOST:PORT]</c>
/// (127.0.0.1:7979 when no address is given; loopback only unless <c>--dashboard-allow-remote</c>) and
/// <c>--dashboard-token</c> (else <c>WISP_DASHBOARD_TOKEN</c>, else a random one), which cancel and terminate need.
/// The page's address and the token are printed on the error stream once it listens. Off without <c>--dashboard</c>.
/// </summary>
internal sealed class DashboardFlags
{
    public const string TokenVariable = "WISP_DASHBOARD_TOKEN";

    private readonly Option<string?> _dashboard = new("--dashboard")
    {
        Description = $"Serve the node's dashboard in the browser at HOST:PORT (default {DashboardOptions.DefaultAddress}; loopback only)",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "HOST:PORT",
    };
    private readonly Option<string?> _token = new("--dashboard-token")
    {
        Description = $"Token the dashboard's cancel and terminate need (default: ${TokenVariable}, else a random one, printed)",
        HelpName = "TOKEN",
    };
    private readonly Option<bool> _allowRemote = new("--dashboard-allow-remote")
    {
        Description = "Let --dashboard listen on a non-loopback address: whoever reaches it sees every process of the node",
    };

    public IEnumerable<Option> All => [_dashboard, _token, _allowRemote];

    /// <summary>The runtime options with the dashboard added when <c>--dashboard</c> is given; an Invalid error when the flags are wrong.</summary>
    public WispRuntimeOptions Apply(ParseResult parse, WispRuntimeOptions runtime)
    {
        if (parse.GetResult(_dashboard) is null)
        {
            if (parse.GetResult(_token) is not null || parse.GetValue(_allowRemote))
                throw new WispException(ErrorKind.Invalid, "--dashboard-token and --dashboard-allow-remote need --dashboard");
            return runtime;
        }
        var options = new DashboardOptions
        {
            Address = parse.GetValue(_dashboard) ?? DashboardOptions.DefaultAddress,
            AllowRemote = parse.GetValue(_allowRemote),
            Token = parse.GetValue(_token) ?? (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token ? token : null),
            Announce = runtime.Error,
            LoggerFactory = runtime.LoggerFactory,
        };
        options.Validate();
        return new DashboardExtension(options).ForRuntime(runtime);
    }
}
