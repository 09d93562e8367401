using Dapper;

using OcppServer.Security;

namespace OcppServer.Storage.Sql;

internal sealed class SqlCertificateSigningRequestStore(IRelationalDatabase database) : ICertificateSigningRequestStore
{
    private readonly string _transitionSql = database.ForEngine(
        """
        UPDATE certificate_signing_requests
        SET status = @to, certificate_serial_number = COALESCE(@certificateSerialNumber, certificate_serial_number), detail = @detail, updated_at = @now
        WHERE id = @id AND status IN @from
        """);

    public Task<long> AddAsync(string chargePointId, string csr, string signer, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Execute(
                """
                UPDATE certificate_signing_requests SET status = @superseded, updated_at = @receivedAt
                WHERE charge_point_id = @chargePointId AND status IN ('Pending', 'Undelivered')
                """,
                new { chargePointId, receivedAt, superseded = CertificateSigningStatuses.Superseded }, t);
            return c.ExecuteScalar<long>(
                """
                INSERT INTO certificate_signing_requests (charge_point_id, csr, status, signer, received_at, updated_at)
                VALUES (@chargePointId, @csr, @status, @signer, @receivedAt, @receivedAt)
                RETURNING id
                """,
                new { chargePointId, csr, status = CertificateSigningStatuses.Pending, signer, receivedAt }, t);
        }, cancellationToken);

    public Task<CertificateSigningRecord?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefault<CertificateSigningRecord>(
            "SELECT * FROM certificate_signing_requests WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<CertificateSigningRecord>> ListAsync(string? chargePointId, string? status, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<CertificateSigningRecord>>(c => c.Query<CertificateSigningRecord>(
            """
            SELECT * FROM certificate_signing_requests
            WHERE (@chargePointId IS NULL OR charge_point_id = @chargePointId) AND (@status IS NULL OR status = @status)
            ORDER BY id DESC LIMIT @limit
            """, new { chargePointId, status, limit }).AsList(), cancellationToken);

    public Task<bool> TransitionAsync(
        long id, IReadOnlyList<string> from, string to, string? certificateSerialNumber, string? detail, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            _transitionSql, new { id, from = from.ToArray(), to, certificateSerialNumber, detail, now }, t) == 1, cancellationToken);

    public async Task<bool> ConfirmInstalledAsync(string chargePointId, string certificateSerialNumber, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A read first: every profile-3 connection asks, and almost none has a certificate waiting to be confirmed.
        bool waiting = await database.ReadAsync(c => c.ExecuteScalar<long>(
            """
            SELECT COUNT(*) FROM certificate_signing_requests
            WHERE charge_point_id = @chargePointId AND certificate_serial_number = @certificateSerialNumber AND status IN ('Sent', 'Undelivered')
            """, new { chargePointId, certificateSerialNumber }) > 0, cancellationToken);
        return waiting && await database.WriteAsync((c, t) => c.Execute(
            """
            UPDATE certificate_signing_requests SET status = @installed, detail = 'connected with it', updated_at = @now
            WHERE charge_point_id = @chargePointId AND certificate_serial_number = @certificateSerialNumber AND status IN ('Sent', 'Undelivered')
            """, new { chargePointId, certificateSerialNumber, now, installed = CertificateSigningStatuses.Installed }, t) > 0, cancellationToken);
    }
}
