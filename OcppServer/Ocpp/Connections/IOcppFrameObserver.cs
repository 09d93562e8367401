namespace OcppServer.Ocpp.Connections;

public enum FrameDirection
{
    In,
    Out,
}

/// <summary>Sees every raw frame of every connection (e.g. for the raw message log). Must not block.</summary>
public interface IOcppFrameObserver
{
    void OnFrame(string chargePointId, FrameDirection direction, ReadOnlySpan<byte> frame);
}

/// <summary>
/// Told of every connection once it is registered (e.g. to push configuration to a charger that reconnected without
/// booting). Runs in the background: it must not block, and its failures are logged, never the connection's.
/// </summary>
public interface IChargePointConnectionObserver
{
    Task OnConnectedAsync(ChargePointConnection connection, CancellationToken cancellationToken);
}
