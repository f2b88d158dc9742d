using System.Net.Http.Json;
using System.Text.Json;
using AspNetEcho;
using Microsoft.Extensions.DependencyInjection;
using Wisp.Hosting;

namespace Wisp.Extensions.Hosting.Tests;

/// <summary>examples/aspnet-echo end to end: its web application on a loopback port, asked over HTTP.</summary>
public class AspNetEchoTests
{
    [Fact]
    public async Task Get_echo_answers_with_the_workers_reply_and_stopping_the_app_stops_the_relay()
    {
        await using var app = EchoApp.Build(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync().WaitAsync(NodeHost.Deadline);
        var runtime = app.Services.GetRequiredService<WispRuntime>();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = NodeHost.Deadline };
            var reply = await http.GetFromJsonAsync<JsonElement>("/echo?text=hello%20world");

            Assert.Equal("HELLO WORLD", reply.GetProperty("text").GetString());
            Assert.StartsWith("{app:processes|", reply.GetProperty("worker").GetString());
        }
        finally
        {
            await app.StopAsync().WaitAsync(NodeHost.Deadline);
        }
        Assert.Equal(ServiceState.Stopped, runtime.Service("app:relay-service")!.State);
        Assert.Equal(0, runtime.Node.ProcessCount);
    }
}
