using System.Data.Common;
using Dapper;

namespace OcppServer.Storage.Sql;

/// <summary>Ends a connector's session inside a write that is already running, so that it commits with that write.</summary>
internal static class ConnectorEvidence
{
    /// <summary>
    /// Ends the connector's session and discards its evidence (cable unplugged, transaction stopped, the connector
    /// faulted or made unavailable). Returns how many evidence items were discarded.
    /// </summary>
    public static int EndSession(DbConnection c, DbTransaction t, string chargePointId, int connectorId, DateTimeOffset now)
    {
        c.Execute(
            "UPDATE connectors SET session_started_at = NULL WHERE charge_point_id = @chargePointId AND connector_id = @connectorId",
            new { chargePointId, connectorId }, t);
        return DiscardEvidence(c, t, chargePointId, connectorId, now);
    }

    /// <summary>Discards the connector's evidence, for a write that has ended its session itself.</summary>
    public static int DiscardEvidence(DbConnection c, DbTransaction t, string chargePointId, int connectorId, DateTimeOffset now)
    {
        var parameters = new { chargePointId, connectorId, now };
        return c.Execute(DiscardVinReportsSql, parameters, t) + c.Execute(DiscardBiometricTokensSql, parameters, t);
    }

    /// <summary>Discards a connector's VIN reports (parameters <c>@chargePointId</c>, <c>@connectorId</c>, <c>@now</c>).</summary>
    public const string DiscardVinReportsSql =
        "UPDATE vin_reports SET discarded_at = @now WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND discarded_at IS NULL";

    /// <summary>Discards a connector's biometric tokens (the same parameters).</summary>
    public const string DiscardBiometricTokensSql =
        "UPDATE biometric_tokens SET discarded_at = @now WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND discarded_at IS NULL";
}
