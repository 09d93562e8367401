using Microsoft.Extensions.Options;
using OcppServer.Transactions;

namespace OcppServer.Authorization.Gate;

/// <summary>
/// A StartTransaction answered with anything but Accepted must not go on charging. Chargers configured with
/// StopTransactionOnInvalidId stop by themselves; if one has not stopped after a grace period, it is told to.
/// </summary>
public sealed class RefusedTransactionEnforcer(
    ITransactionStore transactions,
    IChargerCommands chargers,
    IOptionsMonitor<AuthorizationOptions> options,
    TimeProvider time,
    ILogger<RefusedTransactionEnforcer> logger)
{
    public async Task EnforceAsync(string chargePointId, int transactionId, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(options.CurrentValue.RemoteStopGraceSeconds), time, cancellationToken);
        var transaction = await transactions.GetAsync(transactionId, cancellationToken);
        if (transaction is null || transaction.StopTimestamp is not null)
        {
            return;
        }

        logger.LogWarning("Transaction {TransactionId} on {ChargePointId} was refused but is still running: sending RemoteStopTransaction",
            transactionId, chargePointId);
        string answer = await chargers.RemoteStopAsync(chargePointId, transactionId, cancellationToken);
        logger.LogInformation("RemoteStopTransaction {TransactionId} on {ChargePointId}: {Status}", transactionId, chargePointId, answer);
    }
}
