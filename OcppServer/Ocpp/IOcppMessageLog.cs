namespace OcppServer.Ocpp;

/// <summary>A frame of the raw message log (Ocpp:MessageLog), secrets already redacted when it was written.</summary>
public sealed record LoggedMessage
{
    public long Id { get; init; }
    public string ChargePointId { get; init; } = "";

    /// <summary><c>In</c> (from the charger) or <c>Out</c> (to it).</summary>
    public string Direction { get; init; } = "";
    public string Frame { get; init; } = "";
    public DateTimeOffset LoggedAt { get; init; }
}

/// <summary>Reads the raw message log, which is kept only while Ocpp:MessageLog:Enabled is set.</summary>
public interface IOcppMessageLog
{
    /// <summary>Whether frames are being logged (Ocpp:MessageLog:Enabled).</summary>
    bool Enabled { get; }

    /// <summary>The charge point's latest frames, newest first.</summary>
    Task<IReadOnlyList<LoggedMessage>> ListAsync(string chargePointId, int limit, CancellationToken cancellationToken);
}
