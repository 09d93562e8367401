using Dapper;

using OcppServer.Security;

namespace OcppServer.Storage.Sql;

internal sealed class SqlRevokedCertificateStore(IRelationalDatabase database) : IRevokedCertificateStore
{
    public Task<bool> AddAsync(RevokedCertificate revoked, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO revoked_certificates (serial_number, issuer, reason, revoked_at) VALUES (@SerialNumber, @Issuer, @Reason, @RevokedAt)
            ON CONFLICT (serial_number, issuer) DO NOTHING
            """, revoked, t) == 1, cancellationToken);

    public Task<bool> IsRevokedAsync(string serialNumber, string issuer, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM revoked_certificates WHERE serial_number = @serialNumber AND issuer IN (@issuer, '')",
            new { serialNumber, issuer }) > 0, cancellationToken);

    public Task<IReadOnlyList<RevokedCertificate>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<RevokedCertificate>>(c => c.Query<RevokedCertificate>(
            "SELECT * FROM revoked_certificates ORDER BY revoked_at DESC, serial_number").AsList(), cancellationToken);
}
