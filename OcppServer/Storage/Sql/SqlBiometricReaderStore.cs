using System.Data.Common;
using Dapper;

using OcppServer.Registry;

namespace OcppServer.Storage.Sql;

internal sealed class SqlBiometricReaderStore(IRelationalDatabase database) : IBiometricReaderStore
{
    // A key id belongs to one reader (biometric_readers.key_id is unique): another charge point's key fails the write.
    public async Task<bool> UpsertAsync(BiometricReaderRecord reader, CancellationToken cancellationToken)
    {
        try
        {
            await database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
                """
                INSERT INTO biometric_readers (charge_point_id, key_id, public_key_pem, updated_at)
                VALUES (@ChargePointId, @KeyId, @PublicKeyPem, @UpdatedAt)
                ON CONFLICT (charge_point_id) DO UPDATE SET key_id = excluded.key_id, public_key_pem = excluded.public_key_pem,
                    updated_at = excluded.updated_at
                """, reader, t), cancellationToken));
            return true;
        }
        catch (DbException ex) when (database.IsUniqueViolation(ex))
        {
            return false;
        }
    }

    public Task<BiometricReaderRecord?> GetByKeyIdAsync(string keyId, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("reader_by_key", keyId, () => database.ReadAsync(c => c.QuerySingleOrDefault<BiometricReaderRecord>(
            "SELECT * FROM biometric_readers WHERE key_id = @keyId", new { keyId }), cancellationToken));

    public Task<BiometricReaderRecord?> GetForChargePointAsync(string chargePointId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<BiometricReaderRecord>(
            "SELECT * FROM biometric_readers WHERE charge_point_id = @chargePointId", new { chargePointId }), cancellationToken);

    public Task<IReadOnlyList<BiometricReaderRecord>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<BiometricReaderRecord>>(c => c.Query<BiometricReaderRecord>(
            "SELECT * FROM biometric_readers WHERE @after IS NULL OR charge_point_id > @after ORDER BY charge_point_id LIMIT @limit",
            new { after, limit }).AsList(), cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<int>("SELECT COUNT(*) FROM biometric_readers"), cancellationToken);
}
