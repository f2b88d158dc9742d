using Wisp;

namespace EchoService;

/// <summary>What the CLI sends to the relay (topic <c>echo</c>).</summary>
public sealed record EchoRequest(Pid Sender, string Data);

/// <summary>What a worker sends back to the CLI (topic <c>echo_response</c>).</summary>
public sealed record EchoResponse(string Data, Pid Worker);
