using System.Text.Json;

namespace ChargePointSimulator.Charger;

/// <summary>
/// A CALL waiting to be sent. The payload is built when it is sent, so that a transaction started offline can be
/// referred to by the transactionId the central system assigns once its StartTransaction is answered.
/// </summary>
public sealed class OutboundMessage(string action, Func<JsonElement> payload, bool transactional)
{
    private readonly TaskCompletionSource<JsonElement> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Action { get; } = action;

    /// <summary>Transaction-related (StartTransaction, StopTransaction, MeterValues of a transaction): kept while offline, retried.</summary>
    public bool Transactional { get; } = transactional;

    /// <summary>Runs in the sending loop as soon as the answer arrives, before the next message is built and sent.</summary>
    public Action<JsonElement>? OnAnswered { get; init; }

    public int Attempts { get; set; }

    public Task<JsonElement> Completion => _completion.Task;

    public JsonElement BuildPayload() => payload();

    public void Complete(JsonElement response)
    {
        OnAnswered?.Invoke(response);
        _completion.TrySetResult(response);
    }

    public void Fail(Exception error) => _completion.TrySetException(error);
}
