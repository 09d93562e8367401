using OcppServer.Ocpp.Messages;
using OcppServer.Transactions;

namespace OcppServer.Handlers;

/// <summary>Flattens OCPP meter values (timestamp → sampled values) into one stored row per sampled value.</summary>
internal static class MeterValueRows
{
    public static IReadOnlyList<MeterValueRecord> From(
        string chargePointId, int connectorId, int? transactionId, string source, IEnumerable<MeterValue> meterValues, DateTimeOffset receivedAt) =>
        meterValues.SelectMany(mv => mv.SampledValue.Select(sv => new MeterValueRecord
        {
            ChargePointId = chargePointId,
            ConnectorId = connectorId,
            TransactionId = transactionId,
            Source = source,
            Timestamp = mv.Timestamp,
            Value = sv.Value,
            Context = sv.Context,
            Format = sv.Format,
            Measurand = sv.Measurand,
            Phase = sv.Phase,
            Location = sv.Location,
            Unit = sv.Unit,
            ReceivedAt = receivedAt,
        })).ToList();
}
