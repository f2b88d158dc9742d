namespace Wisp.EchoService.Tests;

/// <summary>A relay that fails as soon as it runs, before it registers its name.</summary>
public static class FailingRelay
{
    public static int Run(ProcessContext p) => throw new InvalidOperationException("relay failed at start");
}
