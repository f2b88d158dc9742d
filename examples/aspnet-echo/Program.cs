// GET /echo?text=hello answers {"text":"HELLO","worker":"{app:processes|0x…}"}: the relay's worker's reply.
await AspNetEcho.EchoApp.Build(args).RunAsync();
