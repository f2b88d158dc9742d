using Wisp.Cli;
using Wisp.Lua;

// The wisp command: runs any folder holding a lock file and YAML entries (Lua processes, and C# processes from
// the assemblies its entries name), with nothing but this program.
return await WispCommandLine.InvokeAsync(args, new WispCommandOptions
{
    ProcessKinds = () => [new LuaRuntime()],
    LockBesideProgram = false,
});
