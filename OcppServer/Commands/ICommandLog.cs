namespace OcppServer.Commands;

/// <summary>Server-to-charger calls and how they ended.</summary>
public interface ICommandLog
{
    Task InsertAsync(CommandRecord command, CancellationToken cancellationToken);

    /// <summary>The charge point's latest calls, newest first.</summary>
    Task<IReadOnlyList<LoggedCommand>> ListAsync(string chargePointId, int limit, CancellationToken cancellationToken);
}
