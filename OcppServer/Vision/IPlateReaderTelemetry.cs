namespace OcppServer.Vision;

/// <summary>
/// What the plate reader reports (metrics): images waiting for a worker, and how long each reading took. Vision owns
/// this hook and knows nothing of who listens; it must be cheap and never throw.
/// </summary>
public interface IPlateReaderTelemetry
{
    /// <summary>An image started waiting for a worker (<paramref name="delta"/> 1) or stopped waiting (-1: it got one, was refused or cancelled).</summary>
    void QueueChanged(int delta);

    /// <summary>An image was read, from when it got its worker to its reading.</summary>
    void Read(PlateReadOutcome outcome, TimeSpan elapsed);
}
