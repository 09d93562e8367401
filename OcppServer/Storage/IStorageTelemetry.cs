namespace OcppServer.Storage;

/// <summary>
/// Told how long each commit held its transaction, from BEGIN to the end of COMMIT (metrics). Storage owns this hook and
/// knows nothing of who listens. Called once per commit (a SQLite group commit is one, whatever its number of writes):
/// it must be cheap and never throw.
/// </summary>
public interface IStorageTelemetry
{
    void Committed(string engine, TimeSpan held);
}
