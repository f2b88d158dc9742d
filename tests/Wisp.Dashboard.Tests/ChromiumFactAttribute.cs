namespace Wisp.Dashboard.Tests;

/// <summary>
/// A test that drives Debian's chromium (<see cref="Path"/>). Without it the test is skipped, saying why, except under
/// CI (the CI environment variable set), where .ci/run installs it: there the test runs and fails, never passing unseen.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Path) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = $"{Path} is missing (apt-get install chromium): the browser test needs Debian's chromium";
    }
}
