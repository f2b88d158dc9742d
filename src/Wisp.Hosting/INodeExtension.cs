namespace Wisp.Hosting;

/// <summary>
/// Something another layer adds around a runtime's node (the cluster: its membership and transport): started once
/// the node exists and before its services, so that they start connected; stopped after every host has stopped.
/// Added through <see cref="WispRuntimeOptions.Extensions"/>, started in order, stopped in reverse order.
/// </summary>
public interface INodeExtension
{
    Task StartAsync(WispRuntime runtime, CancellationToken cancellation);
    ValueTask StopAsync();
}
