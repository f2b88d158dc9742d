using System.Linq.Expressions;
using System.Reflection;
using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>
/// A <c>process.dotnet</c> entry: a public static method (or, for an entry made in code, a delegate) whose first
/// parameter is the <see cref="ProcessContext"/> and whose other parameters receive the spawn arguments, in order.
/// It may return Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;, void or a value; the value is the exit value.
///
/// Arguments are converted at spawn time, so a wrong call fails in the spawner: a PID string binds to
/// <see cref="Pid"/>, YAML scalars to numbers and booleans; a missing argument takes the parameter's default
/// if it has one; extra arguments are an error. The call is compiled to a delegate once per entry.
/// </summary>
internal sealed class DotnetProcessDefinition : ProcessDefinition
{
    private readonly ParameterInfo[] _parameters;
    private readonly Func<ProcessContext, object?[], Task<object?>> _invoke;

    private DotnetProcessDefinition(string id, ParameterInfo[] parameters, Func<ProcessContext, object?[], Task<object?>> invoke) : base(id)
    {
        _parameters = parameters;
        _invoke = invoke;
    }

    /// <summary>The definition of a file's entry: its type's static method, found in <paramref name="assemblies"/> or the entry's assembly.</summary>
    public static DotnetProcessDefinition Of(DotnetProcessEntry entry, IReadOnlyList<Assembly> assemblies)
    {
        if (entry.AssemblyPath is { } path) assemblies = [.. assemblies, Load(entry, path)];
        var type = FindType(entry.Type, assemblies)
            ?? throw new WispException(ErrorKind.NotFound,
                $"entry {entry.Id} ({entry.Location}): type '{entry.Type}' not found in {string.Join(", ", assemblies.Select(a => a.GetName().Name))}");
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == entry.Method).ToList();
        if (methods.Count != 1)
            throw new WispException(ErrorKind.NotFound, methods.Count == 0
                ? $"entry {entry.Id} ({entry.Location}): no public static method '{entry.Method}' on {type.FullName}"
                : $"entry {entry.Id} ({entry.Location}): method '{entry.Method}' on {type.FullName} is overloaded");
        var method = methods[0];
        var all = method.GetParameters();
        if (all.Length == 0 || all[0].ParameterType != typeof(ProcessContext))
            throw new WispException(ErrorKind.Invalid,
                $"entry {entry.Id} ({entry.Location}): {type.FullName}.{method.Name} must take a ProcessContext as its first parameter");
        var parameters = all[1..];
        return new(entry.Id.ToString(), parameters, Compile(args => Expression.Call(method, args), parameters, method.ReturnType));
    }

    /// <summary>The definition of an entry made in code: its delegate, invoked (the entry checked its first parameter).</summary>
    public static DotnetProcessDefinition Of(CodeProcessEntry entry)
    {
        var body = entry.Body;
        var invoke = body.GetType().GetMethod("Invoke")!;
        // The target method's parameters carry the names and defaults; a delegate closed over its method's first
        // parameter (a static method bound to an instance) has one more there than it takes, so its own are used.
        var all = body.Method.GetParameters();
        if (all.Length != invoke.GetParameters().Length) all = invoke.GetParameters();
        var parameters = all[1..];
        return new(entry.Id.ToString(), parameters, Compile(args => Expression.Invoke(Expression.Constant(body), args), parameters, invoke.ReturnType));
    }

    public override object?[] PrepareArguments(object?[] args)
    {
        if (args.Length > _parameters.Length)
            throw new WispException(ErrorKind.Invalid, $"{Id} takes {_parameters.Length} argument(s), got {args.Length}");
        var bound = new object?[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (i >= args.Length)
            {
                bound[i] = parameter.HasDefaultValue ? parameter.DefaultValue
                    : throw new WispException(ErrorKind.Invalid,
                        $"{Id} takes {_parameters.Length} argument(s), got {args.Length}: '{parameter.Name}' is missing");
                continue;
            }
            var type = parameter.ParameterType;
            if (args[i] is not { } arg)
            {
                if (type.IsValueType && System.Nullable.GetUnderlyingType(type) is null)
                    throw new WispException(ErrorKind.Invalid, $"{Id}: argument '{parameter.Name}' cannot be null");
                continue;
            }
            bound[i] = ArgumentBinder.Convert(arg, type)
                ?? throw new WispException(ErrorKind.Invalid,
                    $"{Id}: argument '{parameter.Name}' must be {type.Name}, got {arg.GetType().Name} '{arg}'");
        }
        return bound;
    }

    public override Task<object?> Run(ProcessContext process, object?[] args) => _invoke(process, args);

    /// <summary>
    /// Loads the entry's assembly into the default context, so it shares this program's Wisp assemblies (its
    /// ProcessContext is ours); loading the same path again returns the same assembly.
    /// </summary>
    private static Assembly Load(DotnetProcessEntry entry, string path)
    {
        try
        {
            var name = AssemblyName.GetAssemblyName(path);
            return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(name, a.GetName()))
                ?? System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            throw new WispException(ErrorKind.Invalid, $"entry {entry.Id} ({entry.Location}): cannot load assembly {path}: {e.Message}", e);
        }
    }

    private static Type? FindType(string name, IReadOnlyList<Assembly> assemblies)
    {
        foreach (var assembly in assemblies)
            if (assembly.GetType(name) is { } found) return found;
        return Type.GetType(name);
    }

    /// <summary>Compiles <paramref name="call"/> over the context and the converted arguments into one delegate.</summary>
    private static Func<ProcessContext, object?[], Task<object?>> Compile(
        Func<IEnumerable<Expression>, Expression> call, ParameterInfo[] parameters, Type returns)
    {
        var context = Expression.Parameter(typeof(ProcessContext), "process");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var body = call(parameters
            .Select((p, i) => (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType))
            .Prepend(context));
        return Expression.Lambda<Func<ProcessContext, object?[], Task<object?>>>(Adapt(body, returns), context, args).Compile();
    }

    /// <summary>Turns whatever the method returns into a Task of the exit value.</summary>
    private static Expression Adapt(Expression call, Type returns)
    {
        if (returns == typeof(void)) return Expression.Block(call, Expression.Constant(Task.FromResult<object?>(null)));
        if (returns == typeof(Task)) return Expression.Call(Of(nameof(ReturnAdapters.FromTask)), call);
        if (returns == typeof(ValueTask)) return Expression.Call(Of(nameof(ReturnAdapters.FromValueTask)), call);
        if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
            return Expression.Call(Of(nameof(ReturnAdapters.FromTaskOf)).MakeGenericMethod(returns.GetGenericArguments()), call);
        if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(ValueTask<>))
            return Expression.Call(Of(nameof(ReturnAdapters.FromValueTaskOf)).MakeGenericMethod(returns.GetGenericArguments()), call);
        return Expression.Call(typeof(Task), nameof(Task.FromResult), [typeof(object)], Expression.Convert(call, typeof(object)));

        static MethodInfo Of(string name) => typeof(ReturnAdapters).GetMethod(name)!;
    }
}

/// <summary>Awaits a process method's result on its loop and returns it boxed.</summary>
internal static class ReturnAdapters
{
    public static async Task<object?> FromTask(Task task)
    {
        await task;
        return null;
    }

    public static async Task<object?> FromValueTask(ValueTask task)
    {
        await task;
        return null;
    }

    public static async Task<object?> FromTaskOf<T>(Task<T> task) => await task;
    public static async Task<object?> FromValueTaskOf<T>(ValueTask<T> task) => await task;
}
