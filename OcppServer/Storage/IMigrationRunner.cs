namespace OcppServer.Storage;

/// <summary>Brings the database's schema up to date: applies the ordered migrations of its engine that it has not seen yet.</summary>
public interface IMigrationRunner
{
    Task ApplyAsync(CancellationToken cancellationToken);
}
