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
