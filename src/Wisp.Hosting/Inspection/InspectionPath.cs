using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Wisp.Hosting.Inspection;

/// <summary>
/// Where a node's inspection socket is: by default in the user's own folder, <c>$XDG_RUNTIME_DIR/wisp/</c> (else
/// <c>/tmp/wisp-UID/</c>), named for the folder the node runs in (<c>NAME-HASH.sock</c>: its last part and a hash of
/// its full path), so that <c>wisp top</c> in the same folder finds it. The folder is made owner-only (0700).
/// </summary>
public static class InspectionPath
{
    /// <summary>The socket of the node run in <paramref name="folder"/>.</summary>
    public static string For(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..12];
        var name = new string([.. Path.GetFileName(full).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        if (name.Length > 40) name = name[..40];
        return Path.Combine(Folder, $"{(name.Length > 0 ? name : "root")}-{hash}.sock");
    }

    /// <summary>The user's folder of sockets: <c>$XDG_RUNTIME_DIR/wisp</c>, else <c>/tmp/wisp-UID</c>.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Directory.Exists(runtime)
            ? Path.Combine(runtime, "wisp")
            : Path.Combine(Path.GetTempPath(), $"wisp-{UserId()}");

    /// <summary>Makes the socket's folder if missing, owner-only; refuses a folder that others can enter.</summary>
    public static void PrepareFolder(string socketPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(socketPath))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        bool made = !Directory.Exists(folder);
        if (made) Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // A folder of our own naming (made now, or the default one) is kept owner-only; a folder the user chose is
        // theirs to open up, and the socket itself is 0600 anyway.
        if (made || folder == Folder)
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string UserId() => OperatingSystem.IsWindows() ? Environment.UserName : geteuid().ToString();

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
