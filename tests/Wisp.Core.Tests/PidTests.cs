namespace Wisp.Tests;

public class PidTests
{
    [Fact]
    public void Formats_host_and_at_least_five_hex_digits()
    {
        Assert.Equal("{app:processes|0x00004}", new Pid("", "app:processes", 4).ToString());
    }

    [Theory]
    [InlineData(0x1UL, "0x00001")]
    [InlineData(0xabcUL, "0x00abc")]
    [InlineData(0xfffffUL, "0xfffff")]
    [InlineData(0x100000UL, "0x100000")]
    [InlineData(0xffffffUL, "0xffffff")]
    [InlineData(0x1000000UL, "0x01000000")]
    [InlineData(0xffffffffUL, "0xffffffff")]
    [InlineData(0x100000000UL, "0x0000000100000000")]
    [InlineData(ulong.MaxValue, "0xffffffffffffffff")]
    public void Id_width_grows_5_6_8_16(ulong id, string hex)
    {
        var pid = new Pid("", "app:processes", id);
        Assert.Equal($"{{app:processes|{hex}}}", pid.ToString());
        Assert.Equal(pid.ToString(), $"{pid}");              // interpolation goes through TryFormat
        Assert.Equal(pid, Pid.Parse(pid.ToString()));
    }

    [Theory]
    [InlineData("a@b", "app:processes", "node", '@')]
    [InlineData("a|b", "app:processes", "node", '|')]
    [InlineData("", "app:{x", "host", '{')]
    [InlineData("", "x}", "host", '}')]
    [InlineData("", "app@processes", "host", '@')]
    [InlineData("n", "app|processes", "host", '|')]
    public void A_node_or_host_holding_a_delimiter_is_refused_as_its_text_would_not_read_back(string node, string host, string part, char bad)
    {
        var error = Assert.Throws<WispException>(() => new Pid(node, host, 1));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.StartsWith($"pid: the {part} '", error.Message);
        Assert.Contains($"holds '{bad}'", error.Message);
        Assert.Throws<WispException>(() => new Node(new NodeOptions { Name = node }).AddHost(host));
        Assert.False(Pid.TryParse($"{{{(node.Length > 0 ? node + "@" : "")}{host}|0x00001}}", out var parsed) && parsed.Host == host && parsed.Node == node);
    }

    [Fact]
    public void Node_prefix_is_written_before_the_host()
    {
        var pid = new Pid("n1", "app:processes", 10);
        Assert.Equal("{n1@app:processes|0x0000a}", pid.ToString());
        Assert.Equal("{n1@app:processes|0x0000a}", $"{pid}");
        var parsed = Pid.Parse("{n1@app:processes|0x0000a}");
        Assert.Equal("n1", parsed.Node);
        Assert.Equal("app:processes", parsed.Host);
        Assert.Equal(10UL, parsed.Id);
    }

    [Theory]
    [InlineData("{app:processes|0x00004}")]
    [InlineData("{app:terminal|0xfffff}")]
    [InlineData("{app:processes|0x123456}")]
    [InlineData("{app:processes|0x12345678}")]
    [InlineData("{app:processes|0x0000000123456789}")]
    [InlineData("{node-1@app:processes|0x00004}")]
    [InlineData("{|}")]
    public void Parse_round_trips(string text)
    {
        Assert.True(Pid.TryParse(text, out var pid));
        Assert.Equal(text, pid.ToString());
        Assert.Equal(pid, Pid.Parse(pid.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("app:processes|0x00004")]
    [InlineData("{app:processes}")]
    [InlineData("{app:processes|}")]
    [InlineData("{app:processes|0x}")]
    [InlineData("{app:processes|00004}")]
    [InlineData("{app:processes|0xzz}")]
    [InlineData("{app:processes|0x-1}")]
    [InlineData("{app:processes|0x10000000000000000}")]
    [InlineData("{|0x00004}")]
    [InlineData("{@app:processes|0x00004}")]
    [InlineData("{n1@|0x00004}")]
    [InlineData("(app:processes|0x00004)")]
    public void Invalid_strings_are_rejected(string text)
    {
        Assert.False(Pid.TryParse(text, out _));
        var e = Assert.Throws<WispException>(() => Pid.Parse(text));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Contains("invalid pid format", e.Message);
    }

    [Fact]
    public void Null_is_not_a_pid() => Assert.False(Pid.TryParse(null, out _));

    [Fact]
    public void Empty_pid_is_none()
    {
        var none = Pid.Parse("{|}");
        Assert.True(none.IsNone);
        Assert.Equal(Pid.None, none);
        Assert.Equal(default, none);
        Assert.Equal("{|}", Pid.None.ToString());
        Assert.Equal("{|}", $"{Pid.None}");
        Assert.Equal("", none.Host);
        Assert.Equal("", none.Node);
    }

    [Fact]
    public void Legacy_three_part_form_uses_the_last_part_as_id()
    {
        var pid = Pid.Parse("{app:processes|app:worker|0x00004}");
        Assert.Equal(new Pid("", "app:processes", 4), pid);
    }

    [Fact]
    public void Equality_covers_node_host_and_id()
    {
        var a = new Pid("", "app:processes", 4);
        Assert.Equal(a, new Pid("", "app:processes", 4));
        Assert.Equal(a.GetHashCode(), new Pid("", "app:processes", 4).GetHashCode());
        Assert.True(a == new Pid("", "app:processes", 4));
        Assert.NotEqual(a, new Pid("n1", "app:processes", 4));
        Assert.NotEqual(a, new Pid("", "app:terminal", 4));
        Assert.NotEqual(a, new Pid("", "app:processes", 5));
        Assert.True(a != new Pid("", "app:processes", 5));
    }

    [Fact]
    public void TryFormat_reports_a_too_small_buffer()
    {
        var pid = new Pid("n1", "app:processes", 4);
        Span<char> small = stackalloc char[5];
        Assert.False(pid.TryFormat(small, out _, default, null));
        Span<char> big = stackalloc char[64];
        Assert.True(pid.TryFormat(big, out int written, default, null));
        Assert.Equal(pid.ToString(), big[..written].ToString());
    }

    [Fact]
    public async Task Spawned_pids_count_from_one_per_node_across_hosts()
    {
        var node = new TestNode();
        node.Node.AddHost("app:other");
        var first = node.Spawn(_ => Task.FromResult<object?>(null));
        var second = node.Node.Spawn("app:other", _ => Task.FromResult<object?>(null));
        Assert.Equal("{app:processes|0x00001}", first.ToString());
        Assert.Equal("{app:other|0x00002}", second.ToString());

        // a process sees the PID its spawner got, on every call
        var probe = new Probe<(Pid, Pid)>();
        var third = node.Spawn(p =>
        {
            probe.Put((p.Pid, p.Pid));
            return Task.FromResult<object?>(null);
        });
        var (seen1, seen2) = await probe.Take();
        Assert.Equal(third, seen1);
        Assert.Equal(third, seen2);
        Assert.Equal(3UL, third.Id);
    }

    [Fact]
    public void Named_node_prefixes_its_pids()
    {
        var node = new TestNode(name: "n1");
        var pid = node.Spawn(_ => Task.FromResult<object?>(null));
        Assert.Equal("{n1@app:processes|0x00001}", pid.ToString());
        Assert.Equal("n1", pid.Node);
    }
}
