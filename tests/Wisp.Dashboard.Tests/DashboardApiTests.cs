using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Wisp.Dashboard.Tests;

/// <summary>The dashboard's HTTP API over a running echo service: what it reads, what it streams, what it lets change.</summary>
public sealed class DashboardApiTests : IAsyncLifetime
{
    private DashboardNode _node = null!;

    public async Task InitializeAsync() => _node = await DashboardNode.StartAsync();
    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task The_snapshot_lists_the_relay_its_service_and_the_tree_from_the_node_to_it()
    {
        var snapshot = await _node.GetAsync<DashboardSnapshot>("/api/snapshot");

        var relay = Assert.Single(snapshot.Processes, p => p.Pid == _node.Relay.ToString());
        Assert.Equal("app:relay", relay.Entry);
        Assert.Equal("dotnet", relay.Kind);
        Assert.Equal(["relay"], relay.Names);
        Assert.Equal(snapshot.Processes.Count, snapshot.LiveProcesses);

        var service = Assert.Single(snapshot.Services);
        Assert.Equal(("app:relay-service", "Running", _node.Relay.ToString(), 0), (service.Id, service.State, service.Process, service.Restarts));

        var supervisor = Assert.Single(snapshot.Tree.Children);
        Assert.Equal(("supervisor", service.Supervisor), (supervisor.Kind, supervisor.Pid));
        Assert.Equal(_node.Relay.ToString(), Assert.Single(supervisor.Children).Pid);
    }

    [Fact]
    public async Task A_process_detail_names_its_links_and_monitors()
    {
        var detail = await _node.GetAsync<ProcessDetailView>($"/api/processes/{DashboardNode.Escaped(_node.Relay)}");

        Assert.Equal(["relay"], detail.Process.Names);
        var supervisor = _node.Runtime.InspectServices()[0].Supervisor.ToString();
        Assert.Contains(supervisor, detail.Links.Concat(detail.MonitoredBy).Select(r => r.Pid));
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Http.GetAsync("/api/processes/%7Bapp:processes%7C0xfffff%7D")).StatusCode);
    }

    [Fact]
    public async Task The_event_stream_sends_a_snapshot_each_interval_with_what_changed()
    {
        using var response = await _node.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var first = await NextSnapshot(reader);
        Assert.Contains(first.Processes, p => p.Pid == _node.Relay.ToString());
        var late = _node.Node.Spawn("app:processes", static p => p.Inbox.Receive().AsTask().ContinueWith(static _ => (object?)null));
        while (!(await NextSnapshot(reader)).Processes.Any(p => p.Pid == late.ToString())) { }
    }

    private static async Task<DashboardSnapshot> NextSnapshot(StreamReader reader)
    {
        string? type = null;
        while (await reader.ReadLineAsync().WaitAsync(DashboardNode.Deadline) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "snapshot")
                return JsonSerializer.Deserialize<DashboardSnapshot>(line["data: ".Length..], DashboardNode.Json)!;
        }
        throw new EndOfStreamException("the event stream ended");
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-token", HttpStatusCode.Forbidden)]
    [InlineData("", HttpStatusCode.Unauthorized)]
    public async Task An_action_without_the_token_is_refused_and_the_process_lives_on(string? token, HttpStatusCode refused)
    {
        foreach (var action in new[] { "cancel", "terminate" })
            Assert.Equal(refused, (await Post(_node.Chatter, action, token)).StatusCode);
        Assert.True(_node.Node.IsAlive(_node.Chatter));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _node.Http.GetAsync($"/api/processes/{DashboardNode.Escaped(_node.Chatter)}/terminate")).StatusCode);
    }

    [Theory]
    [InlineData("terminate", null, "process terminated")]
    [InlineData("cancel", "cancelled", null)]
    public async Task An_action_with_the_token_ends_the_process(string action, string? value, string? error)
    {
        var exited = _node.Node.WhenExited(_node.Chatter);
        Assert.Equal(HttpStatusCode.NoContent, (await Post(_node.Chatter, action, DashboardNode.Token)).StatusCode);
        var result = await exited.WaitAsync(DashboardNode.Deadline);
        Assert.Equal((value, error), (result.Value as string, result.Error?.Message));
        Assert.Equal(HttpStatusCode.NotFound, (await Post(_node.Chatter, action, DashboardNode.Token)).StatusCode);
    }

    private Task<HttpResponseMessage> Post(Pid pid, string action, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{DashboardNode.Escaped(pid)}/{action}");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _node.Http.SendAsync(request);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("192.168.1.10:7979")]
    public async Task A_request_naming_another_host_is_refused(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/snapshot");
        request.Headers.Host = host;
        Assert.Equal(HttpStatusCode.BadRequest, (await _node.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task The_page_and_its_files_are_served_from_the_assembly()
    {
        foreach (var (path, type) in new[] { ("/", "text/html"), ("/app.js", "text/javascript"), ("/app.css", "text/css") })
        {
            using var response = await _node.Http.GetAsync(path);
            Assert.Equal((HttpStatusCode.OK, type), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            Assert.NotEmpty(await response.Content.ReadAsStringAsync());
        }
    }
}
