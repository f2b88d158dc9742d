using Microsoft.Playwright;

namespace Wisp.Dashboard.Tests;

/// <summary>The page in a real headless Chromium: the live tables fill in, a click shows a process, the token acts.</summary>
public sealed class DashboardBrowserTests
{
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Where the test leaves its picture of the page (docs/images/dashboard.png is one of them).</summary>
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "dashboard.png");

    [ChromiumFact]
    public async Task The_page_shows_the_relay_its_detail_on_a_click_and_terminates_with_the_token()
    {
        Assert.True(File.Exists(ChromiumFactAttribute.Path), $"{ChromiumFactAttribute.Path} is missing: CI installs chromium (.ci/run)");
        await using var node = await DashboardNode.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.Path, Args = ChromiumFlags, Timeout = (float)DashboardNode.Deadline.TotalMilliseconds,
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout((float)DashboardNode.Deadline.TotalMilliseconds);
        // The page's assertions wait as long as its actions (their own default is 5 s: short on a loaded CI machine).
        Assertions.SetDefaultExpectTimeout((float)DashboardNode.Deadline.TotalMilliseconds);
        await page.GotoAsync($"{node.Dashboard.Address}#token={DashboardNode.Token}");

        var relayRow = page.Locator($"#processes tbody tr[data-pid='{node.Relay}']");
        await Assertions.Expect(relayRow).ToContainTextAsync("app:relay");
        await Assertions.Expect(relayRow).ToContainTextAsync("relay");
        await Assertions.Expect(page.Locator("#services tbody tr")).ToContainTextAsync(["app:relay-service"]);
        await Assertions.Expect(page.Locator($"#tree a[data-pid='{node.Relay}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#messages-chart polyline")).ToHaveCountAsync(1);

        await relayRow.ClickAsync();
        await Assertions.Expect(page.Locator("#detail-pid")).ToHaveTextAsync(node.Relay.ToString());
        await Assertions.Expect(page.Locator("#detail dd[data-field='names']")).ToHaveTextAsync("relay");
        var supervisor = node.Runtime.InspectServices()[0].Supervisor.ToString();
        await Assertions.Expect(page.Locator("#detail dd[data-field='links'], #detail dd[data-field='monitored by']")
            .Filter(new() { HasText = supervisor })).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath, FullPage = true });

        var exited = node.Node.WhenExited(node.Chatter);
        await page.Locator($"#processes tbody tr[data-pid='{node.Chatter}']").ClickAsync();
        await Assertions.Expect(page.Locator("#detail-pid")).ToHaveTextAsync(node.Chatter.ToString());
        await page.Locator("#terminate").ClickAsync();
        await Assertions.Expect(page.Locator("#action-result")).ToHaveTextAsync("terminate sent");
        Assert.Equal("process terminated", (await exited.WaitAsync(DashboardNode.Deadline)).Error?.Message);
    }
}
