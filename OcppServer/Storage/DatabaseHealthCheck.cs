using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OcppServer.Storage;

/// <summary>
/// Ready when the database answers a query on one of its tables, through <see cref="IRelationalDatabase"/> as every
/// store reads (a pooled connection, no transaction): a cheap indexed read, never a write.
/// </summary>
public sealed class DatabaseHealthCheck(IRelationalDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // A real table, not "SELECT 1": the schema must be there, not only a connection.
            await database.ReadAsync(connection => connection.ExecuteScalar<long?>("SELECT 1 FROM charge_points LIMIT 1"), cancellationToken);
            return HealthCheckResult.Healthy("The database answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The database does not answer: {ex.GetType().Name}");
        }
    }
}
