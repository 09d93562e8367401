using System.Data.Common;
using Dapper;
using OcppServer.ChargePoints;

namespace OcppServer.Storage.Sql;

/// <summary>The one place a DataTransfer is logged: on its own, or in the commit that stores the evidence it carried.</summary>
internal static class DataTransferLog
{
    public const string InsertSql =
        """
        INSERT INTO data_transfers (charge_point_id, vendor_id, message_id, data, status, received_at)
        VALUES (@ChargePointId, @VendorId, @MessageId, @Data, @Status, @ReceivedAt)
        """;

    public static void Insert(DbConnection c, DbTransaction t, DataTransferRecord? transfer)
    {
        if (transfer is not null)
        {
            c.Execute(InsertSql, transfer, t);
        }
    }
}
