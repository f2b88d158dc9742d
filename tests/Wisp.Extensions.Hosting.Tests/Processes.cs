using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Process bodies of the tests: entry files name them (type: Wisp.Extensions.Hosting.Tests.Processes), code adds them.
namespace Wisp.Extensions.Hosting.Tests;

public sealed record Question(Pid From, string Text);

public static class Processes
{
    public static Task<object?> Upper(ProcessContext p) => Serve(p, "upper", text => text.ToUpperInvariant());

    public static Task<object?> Greeter(ProcessContext p) => Serve(p, "greeter", text => $"hello {text}");

    /// <summary>Registers <paramref name="name"/>, answers each question until CANCEL, which it records in the host's journal.</summary>
    private static async Task<object?> Serve(ProcessContext p, string name, Func<string, string> answer)
    {
        var journal = p.Services().GetRequiredService<Journal>();
        var inbox = p.Inbox;
        var events = p.Events;
        p.Registry.Register(name);
        p.Logger.LogInformation("{name} serving", name);
        while (true)
        {
            var r = await p.Select(inbox.CaseReceive(), events.CaseReceive());
            if (r.Channel == events)
            {
                if (r.ValueAs<ProcessEvent>() is { Kind: EventKind.Cancel } cancel)
                {
                    journal.Record($"{name} cancelled: {cancel.Reason}");
                    return 0;
                }
            }
            else if (r.ValueAs<Message>() is { Topic: "question" } message)
            {
                var question = message.Payload<Question>();
                p.Send(question.From, "answer", answer(question.Text));
            }
        }
    }

    /// <summary>Asks the process registered as <paramref name="name"/> and returns its answer.</summary>
    public static async Task<object?> Ask(ProcessContext p, string name, string text)
    {
        p.Send(name, "question", new Question(p.Pid, text));
        var (message, _) = await p.Inbox.Receive();
        return message.Payload<string>();
    }

    /// <summary>Hears CANCEL, records it, and goes on: only a terminate ends it.</summary>
    public static async Task<object?> Stubborn(ProcessContext p)
    {
        var journal = p.Services().GetRequiredService<Journal>();
        var events = p.Events;
        journal.Record("stubborn running");
        while (true)
        {
            var (e, _) = await events.Receive();
            if (e.Kind == EventKind.Cancel) journal.Record("stubborn heard cancel");
        }
    }
}
