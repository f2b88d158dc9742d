using Wisp.Hosting;

namespace Wisp.Cluster.Tests;

/// <summary>
/// A clustered node's processes run on the .NET thread pool, where Akka.NET's dispatchers run (ClusterNode.SchedulerFor):
/// a remote message then reaches its process, and the reply the engine, without waking another thread.
/// </summary>
public class SchedulerTests
{
    [Fact]
    public void A_clustered_runtime_runs_its_hosts_on_the_thread_pool_and_a_bounded_host_stays_bounded()
    {
        var options = new ClusterExtension(new ClusterOptions { NodeName = "n", Listen = "127.0.0.1:0" }).ForRuntime(new WispRuntimeOptions());
        using var runtime = WispRuntime.Load(options);

        Assert.IsType<ThreadPoolScheduler>(runtime.Node.FindHost(Supervisor.ControlHost)!.Scheduler);
        Assert.IsType<ThreadPoolScheduler>(runtime.Node.AddHost("app:more").Scheduler);
        Assert.IsType<BoundedScheduler>(runtime.Node.AddHost("app:bounded", new HostOptions { Workers = 2 }).Scheduler);
    }

    [Fact]
    public void A_node_made_from_the_cluster_node_options_runs_on_the_thread_pool_with_a_new_creation()
    {
        var options = ClusterNode.NodeOptions("a");
        var node = new Node(options with { Catalog = new ProcessCatalog() });

        Assert.Equal("a", node.Name);
        Assert.NotEqual(0u, node.Creation);
        Assert.NotEqual(options.Creation, ClusterNode.NodeOptions("a").Creation);
        Assert.IsType<ThreadPoolScheduler>(node.AddHost("app:processes").Scheduler);
    }

    [Fact]
    public void A_node_outside_a_cluster_runs_on_wisps_workers()
    {
        using var runtime = WispRuntime.Load(new WispRuntimeOptions());
        Assert.Same(WorkerPool.Shared, runtime.Node.FindHost(Supervisor.ControlHost)!.Scheduler);
    }
}
