using System.CommandLine;

namespace Wisp.Cli;

/// <summary>
/// <c>wisp completion SHELL</c>: prints a script that makes the shell complete wisp's commands and options. The script
/// asks wisp itself through System.CommandLine's suggest directive (<c>wisp "[suggest:POSITION]" "LINE"</c>), so the
/// completions are always those of the installed version; it is the dotnet-suggest protocol without that tool.
/// </summary>
internal static class CompletionCommand
{
    private static readonly Dictionary<string, string> Scripts = new()
    {
        ["bash"] = """
            # wisp completion for bash: add `source <(wisp completion bash)` to ~/.bashrc
            _wisp_complete() {
                local IFS=$'\n'
                COMPREPLY=($(command "${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
            }
            complete -o default -F _wisp_complete wisp
            """,
        ["zsh"] = """
            # wisp completion for zsh: add `source <(wisp completion zsh)` to ~/.zshrc
            _wisp_complete() {
                local -a suggestions
                suggestions=("${(@f)$(command wisp "[suggest:${#BUFFER[1,CURSOR]}]" "${BUFFER}" 2>/dev/null)}")
                compadd -- "${suggestions[@]}"
            }
            compdef _wisp_complete wisp
            """,
        ["pwsh"] = """
            # wisp completion for PowerShell: add `wisp completion pwsh | Out-String | Invoke-Expression` to $PROFILE
            Register-ArgumentCompleter -Native -CommandName wisp -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                wisp "[suggest:$cursorPosition]" "$commandAst" | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }
            """,
    };

    public static Command Create(TextWriter output)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or pwsh" };
        shell.AcceptOnlyFromAmong([.. Scripts.Keys]);
        var command = new Command("completion", "Print the shell script that completes wisp's commands and options") { shell };
        command.SetAction(parse =>
        {
            output.WriteLine(Scripts[parse.GetValue(shell)!]);
            return 0;
        });
        return command;
    }
}
