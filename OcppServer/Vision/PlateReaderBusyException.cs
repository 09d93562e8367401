namespace OcppServer.Vision;

/// <summary>Every worker is busy and the queue is full: the caller should answer 503 with <c>Retry-After</c>.</summary>
public sealed class PlateReaderBusyException(TimeSpan retryAfter)
    : Exception($"The plate reader is busy; try again in {retryAfter.TotalSeconds:0} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
