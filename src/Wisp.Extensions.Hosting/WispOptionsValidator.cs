using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Wisp.Hosting.Entries;

namespace Wisp.Extensions.Hosting;

/// <summary>
/// Checks <see cref="WispOptions"/> when the host starts (ValidateOnStart): every failure names its configuration key,
/// <c>Wisp:HostStopTimeout: must be positive</c>, so that a wrong appsettings value or environment variable is found
/// by its name. The cluster section is checked by <see cref="Cluster.ClusterOptions.Validate"/>, its option named as
/// the property it binds to.
/// </summary>
internal sealed partial class WispOptionsValidator : IValidateOptions<WispOptions>
{
    public ValidateOptionsResult Validate(string? name, WispOptions options)
    {
        var failures = new List<string>();
        void Fail(string key, string why) => failures.Add($"{WispOptions.SectionName}:{key}: {why}");

        if (options.SourceDirectory is { } folder && !Directory.Exists(folder))
            Fail(nameof(options.SourceDirectory), $"the folder {folder} does not exist");
        if (options.NodeName.Length > 0 && !IsNodeName(options.NodeName))
            Fail(nameof(options.NodeName), $"'{options.NodeName}' is not a node name (letters, digits, '-', '_' and '.')");
        if (options.HostStopTimeout <= TimeSpan.Zero)
            Fail(nameof(options.HostStopTimeout), $"must be positive, got {options.HostStopTimeout}");
        if (!Enum.IsDefined(options.DefaultScope))
            Fail(nameof(options.DefaultScope), $"{options.DefaultScope} is not a registry scope (Local, Eventual, Consistent or Strong)");
        else if (options.DefaultScope != RegistryScope.Local && options.Cluster is null)
            Fail(nameof(options.DefaultScope), $"{options.DefaultScope} needs a cluster (a {WispOptions.SectionName}:Cluster section); a standalone node's names are Local");
        for (int i = 0; i < options.Overrides.Count; i++)
        {
            try
            {
                EntryOverride.Parse(options.Overrides[i]);
            }
            catch (WispException e)
            {
                Fail($"{nameof(options.Overrides)}:{i}", e.Message);
            }
        }
        if (options.Cluster is { } cluster)
        {
            if (cluster.NodeName != options.NodeName)
                Fail("Cluster:NodeName", $"'{cluster.NodeName}' is not {WispOptions.SectionName}:NodeName '{options.NodeName}' (give one of them)");
            else
            {
                try
                {
                    cluster.Validate();
                }
                catch (WispException e)
                {
                    var (key, why) = ClusterKey(e.Message);
                    Fail(key, why);
                }
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsNodeName(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// The key and the reason of a cluster option's error: "cluster option heartbeat_interval: must be positive" (the
    /// option as the <c>.wisp.yaml</c> file names it) becomes ("Cluster:HeartbeatInterval", "must be positive").
    /// </summary>
    private static (string Key, string Why) ClusterKey(string message)
    {
        if (ClusterError().Match(message) is not { Success: true } match) return ("Cluster", message);
        var option = match.Groups["option"].Value switch
        {
            "node" => nameof(Cluster.ClusterOptions.NodeName),
            "certificate" => nameof(Cluster.ClusterOptions.CertificatePath),
            var snake => string.Concat(snake.Split('_').Select(word => char.ToUpperInvariant(word[0]) + word[1..])),
        };
        return ($"Cluster:{option}", match.Groups["why"].Value);
    }

    [GeneratedRegex("^cluster option (?<option>[a-z_]+): (?<why>.*)$", RegexOptions.Singleline)]
    private static partial Regex ClusterError();
}
