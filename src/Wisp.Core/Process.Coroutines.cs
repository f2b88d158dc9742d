namespace Wisp;

/// <summary>
/// Main and the coroutines of a process: each is a Task run on the loop; the first fault fails the process, and
/// main's result ends it. A coroutine may also give up the rest of its slice (<see cref="YieldSlice"/>): it
/// resumes at the start of the process's next slice, after the scheduler has run the others. Loop only.
/// </summary>
internal sealed partial class Process
{
    private void StartMain()
    {
        _started = true;
        Task<object?> main;
        try
        {
            main = _definition.Run(Context, _args);
        }
        catch (Exception e)
        {
            Fail(ProcessError.From(e));
            return;
        }
        Observe(main, isMain: true);
    }

    /// <summary>Starts a coroutine: it runs now, until its first wait, before the spawner resumes.</summary>
    public void Go(Func<Task> coroutine)
    {
        Task task;
        try
        {
            task = coroutine();
        }
        catch (Exception e)
        {
            Fail(ProcessError.From(e));
            throw new ProcessExitedException(Pid);
        }
        Observe(task, isMain: false);
    }

    private void Observe(Task task, bool isMain)
    {
        if (task.IsCompleted) Finished(task, isMain);
        else if (isMain)
        {
            _main = (Task<object?>)task;
            SynchronizationContext.SetSynchronizationContext(this);   // main's code may have left another one current
            task.GetAwaiter().UnsafeOnCompleted(s_mainFinished);
        }
        else
        {
            RareState.Coroutines++;
            task.GetAwaiter().UnsafeOnCompleted(() =>
            {
                _rare!.Coroutines--;
                Finished(task, isMain: false);
            });
        }
    }

    /// <summary>
    /// Main's completion, shared by every process: registered with the process as the captured context, it runs
    /// either inline on the loop (main ended there with its process current) or posted to the process, whose Post
    /// makes it current again, so it finds its process both ways and no process needs a delegate of its own.
    /// </summary>
    private static readonly Action s_mainFinished = static () =>
    {
        var process = (Process)SynchronizationContext.Current!;
        process.Finished(process._main!, isMain: true);
    };

    private void Finished(Task task, bool isMain)
    {
        if (_exited) return;
        if (task.IsFaulted)
        {
            var error = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            Fail(ProcessError.From(error));
        }
        else if (task.IsCanceled) Fail(new ProcessError("process canceled"));
        else if (isMain)
        {
            object? value = ((Task<object?>)task).Result;
            Exit(value is ProcessError error ? ExitResult.Failure(error) : ExitResult.Success(value));
        }
    }

    /// <summary>
    /// The calling coroutine gives up the rest of this slice: the slice ends after the current round, the process
    /// queues behind the others, and the coroutine resumes first in its next slice. A busy coroutine (a Lua loop
    /// preempted by its instruction count) calls it so that others on its worker get their turn.
    /// </summary>
    public ValueTask YieldSlice()
    {
        var resumed = new Completion(this);
        (RareState.Yielded ??= []).Add(resumed);
        return resumed.Task;
    }

    private void ResumeYielded()
    {
        if (_rare?.Yielded is not { Count: > 0 } yielded) return;
        _rare.Yielded = null;
        foreach (var resumed in yielded) resumed.Complete();
    }
}
