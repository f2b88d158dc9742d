namespace Wisp.Hosting.Inspection;

/// <summary>Why a node could not be inspected: none listens at the path, it went away, or it answered no snapshot.</summary>
public sealed class InspectionException(string message, Exception? inner = null) : Exception(message, inner);
