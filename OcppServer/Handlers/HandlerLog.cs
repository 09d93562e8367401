namespace OcppServer.Handlers;

/// <summary>
/// What the OCPP handlers log per message: event ids 1200-1299. Never a secret (AuthorizationKey, biometric token):
/// ids of charge points and transactions only.
/// </summary>
internal static partial class HandlerLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "StopTransaction for unknown transaction {TransactionId} from {ChargePointId} kept as unmatched")]
    public static partial void UnknownTransactionStopped(ILogger logger, int transactionId, string chargePointId);
}
