using Wisp.Cli;

// `run -x app:terminal/app:cli` boots src/_index.yaml; the C# processes are found in this assembly.
return await WispCommandLine.InvokeAsync(args, typeof(EchoService.Relay).Assembly);
