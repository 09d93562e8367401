using System.Diagnostics;

namespace OcppServer.Ocpp;

/// <summary>
/// What the OCPP-J transport reports about its traffic, for metrics and traces. The transport owns this hook and knows
/// nothing of who listens (<c>Telemetry/OcppAuthTelemetry</c> in the server). Implementations are called on every
/// frame: they must be cheap, must not allocate per call where avoidable, and must never throw.
/// </summary>
public interface IOcppTransportTelemetry
{
    /// <summary>Starts the trace of one inbound CALL's handling; null when nobody records traces.</summary>
    Activity? StartCall(string action, string chargePointId);

    /// <summary>
    /// An inbound CALL was answered: <paramref name="outcome"/> is <see cref="CallResult"/> or the CALLERROR code.
    /// <paramref name="action"/> is one of OCPP 1.6's actions, or <see cref="UnknownAction"/>. Ends <paramref name="activity"/>.
    /// </summary>
    void CallAnswered(string action, string outcome, long startedTimestamp, Activity? activity);

    /// <summary>A frame that was not a CALL of a known shape was answered with a CALLERROR of <paramref name="errorCode"/>.</summary>
    void CallErrorSent(string errorCode);

    /// <summary>A charge point answered one of our CALLs with a CALLERROR of <paramref name="errorCode"/> (any text a charger sent).</summary>
    void CallErrorReceived(string errorCode);

    /// <summary>A WebSocket was accepted and registered as a charge point's connection.</summary>
    void Connected();

    /// <summary>A registered connection ended.</summary>
    void Disconnected();

    /// <summary>The outcome of a CALL answered with a CALLRESULT.</summary>
    public const string CallResult = "CallResult";

    /// <summary>The action label of a CALL whose action OCPP 1.6 does not have (the text a charger sent is never a label).</summary>
    public const string UnknownAction = "Unknown";
}

/// <summary>Reports nothing: the transport on its own (tests, tools).</summary>
public sealed class NoOcppTransportTelemetry : IOcppTransportTelemetry
{
    public static NoOcppTransportTelemetry Instance { get; } = new();

    private NoOcppTransportTelemetry()
    {
    }

    public Activity? StartCall(string action, string chargePointId) => null;

    public void CallAnswered(string action, string outcome, long startedTimestamp, Activity? activity) => activity?.Dispose();

    public void CallErrorSent(string errorCode)
    {
    }

    public void CallErrorReceived(string errorCode)
    {
    }

    public void Connected()
    {
    }

    public void Disconnected()
    {
    }
}
