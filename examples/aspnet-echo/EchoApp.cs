using EchoService;
using Wisp.Hosting;

namespace AspNetEcho;

/// <summary>
/// The web application: a Wisp node (the relay service from <c>src/_index.yaml</c>, the <c>app:ask</c> process from
/// code) inside ASP.NET Core, and a minimal API that calls <c>app:ask</c> through the runtime the container gives it.
/// </summary>
public static class EchoApp
{
    public static WebApplication Build(string[] args)
    {
        // The content root is the program's folder, where appsettings.json and src/ are copied, whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddWisp()
            .AddAssembly(typeof(EchoApp).Assembly)
            .AddProcess("app:ask", Ask.Main);

        var app = builder.Build();
        app.MapGet("/echo", async (string text, WispRuntime wisp) =>
        {
            var result = await wisp.Functions.CallAsync("app:ask", text);
            return result.Value is EchoResponse reply
                ? Results.Ok(new { text = reply.Data, worker = reply.Worker.ToString() })
                : Results.Problem(result.Error?.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
