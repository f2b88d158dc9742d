using System.Net;

namespace Wisp.Dashboard.Tests;

/// <summary>Where a dashboard may listen: loopback only, unless remote access is allowed.</summary>
public sealed class DashboardAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:7979", "127.0.0.1:7979")]
    [InlineData("localhost:0", "127.0.0.1:0")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    [InlineData("127.0.0.2:80", "127.0.0.2:80")]
    [InlineData("7070", "127.0.0.1:7070")]
    public void A_loopback_address_is_taken(string text, string endpoint) =>
        Assert.Equal(IPEndPoint.Parse(endpoint), DashboardAddress.Parse(text, allowRemote: false));

    [Theory]
    [InlineData("0.0.0.0:7979")]
    [InlineData("[::]:7979")]
    [InlineData("192.168.1.10:7979")]
    public void A_non_loopback_address_is_refused_unless_allowed(string text)
    {
        var refused = Assert.Throws<WispException>(() => DashboardAddress.Parse(text, allowRemote: false));
        Assert.Equal(ErrorKind.Invalid, refused.Kind);
        Assert.Contains("not a loopback address", refused.Message);
        Assert.Equal(IPEndPoint.Parse(text), DashboardAddress.Parse(text, allowRemote: true));
    }

    [Theory]
    [InlineData("example.com:80", "an IP address or localhost")]
    [InlineData("127.0.0.1:http", "the port must be a number")]
    [InlineData("127.0.0.1:70000", "the port must be a number")]
    [InlineData("::1:80", "in brackets")]
    public void A_malformed_address_is_refused(string text, string why) =>
        Assert.Contains(why, Assert.Throws<WispException>(() => DashboardAddress.Parse(text, allowRemote: true)).Message);

    [Fact]
    public async Task A_node_with_its_dashboard_on_0000_does_not_start()
    {
        var dashboard = new DashboardExtension(new DashboardOptions { Address = "0.0.0.0:0" });
        await using var runtime = Hosting.WispRuntime.Load(dashboard.ForRuntime(new Hosting.WispRuntimeOptions()));
        var refused = await Assert.ThrowsAsync<WispException>(runtime.StartAsync);
        Assert.Contains("not a loopback address", refused.Message);
        Assert.Null(dashboard.Address);
    }

    [Fact]
    public async Task A_node_whose_dashboard_port_is_taken_does_not_start_and_says_why()
    {
        await using var first = await DashboardNode.StartAsync();
        var taken = $"127.0.0.1:{first.Dashboard.Address!.Port}";
        var dashboard = new DashboardExtension(new DashboardOptions { Address = taken });
        await using var runtime = Hosting.WispRuntime.Load(dashboard.ForRuntime(new Hosting.WispRuntimeOptions()));
        var refused = await Assert.ThrowsAsync<WispException>(runtime.StartAsync);
        Assert.Equal(ErrorKind.Unavailable, refused.Kind);
        Assert.StartsWith($"dashboard: cannot listen on {taken}: ", refused.Message);
    }
}
