using Microsoft.Extensions.Time.Testing;

namespace Wisp.EchoService.Tests;

/// <summary>
/// A fake clock that only the test moves: to a given time (<see cref="AdvanceTo"/>), or in step with the real clock
/// while it waits for something (<see cref="FollowUntil(Task, int)"/>). Nothing moves it behind the test's back, so a
/// test can place each timer of the node exactly: one due after a point has not fired when the clock stands there.
/// </summary>
public sealed class DrivenClock
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    public FakeTimeProvider Time { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Moves the clock to <paramref name="at"/>, firing every timer due by then before it returns.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        Assert.True(at >= Now, $"the clock cannot go back from {Now:O} to {at:O}");
        Time.Advance(at - Now);
    }

    /// <summary>
    /// Lets time pass until <paramref name="task"/> completes, <paramref name="speed"/> times as fast as the real
    /// clock at most (it stands still while the machine is too busy to move it).
    /// </summary>
    public async Task FollowUntil(Task task, int speed = 1)
    {
        while (await Task.WhenAny(task, Task.Delay(Step)) != task) Time.Advance(Step * speed);
        await task;
    }

    /// <inheritdoc cref="FollowUntil(Task, int)"/>
    public async Task<T> FollowUntil<T>(Task<T> task)
    {
        await FollowUntil((Task)task);
        return await task;
    }
}
