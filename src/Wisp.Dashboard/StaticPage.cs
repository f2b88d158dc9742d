using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Wisp.Dashboard;

/// <summary>The page's files, embedded in the assembly (wwwroot/), served from memory with headers that keep it to itself.</summary>
internal static class StaticPage
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string Type)> Files = Load();

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(StaticPage).Assembly;
        var types = new Dictionary<string, string>
        {
            [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        };
        var files = new Dictionary<string, (byte[], string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files["/" + name["wwwroot/".Length..]] = (copy.ToArray(), types[Path.GetExtension(name)]);
        }
        return files.ToFrozenDictionary();
    }

    public static void Map(WebApplication app)
    {
        foreach (var (path, file) in Files)
            app.MapGet(path == "/index.html" ? "/" : path, (HttpContext context) =>
            {
                var headers = context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
                return Results.Bytes(file.Bytes, file.Type);
            });
    }
}
