namespace OcppServer.Ocpp.Validation;

/// <summary>
/// The outcome of applying one (sub)schema to one value, shaped like JsonSchema.Net's evaluation results so that
/// errors come out in the same order: a node per applied subschema, its own errors in keyword order.
/// </summary>
internal sealed class EvaluationNode(string location)
{
    /// <summary>JSON Pointer of the value, "" for the payload itself.</summary>
    public string Location { get; } = location;

    public List<(string Keyword, string Message)> Errors { get; } = [];

    public List<EvaluationNode> Children { get; } = [];

    /// <summary>All nodes breadth first, the order of JsonSchema.Net's List output.</summary>
    public IEnumerable<EvaluationNode> BreadthFirst()
    {
        var queue = new Queue<EvaluationNode>([this]);
        while (queue.TryDequeue(out var node))
        {
            yield return node;
            foreach (var child in node.Children)
            {
                queue.Enqueue(child);
            }
        }
    }
}
