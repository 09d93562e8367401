using Dapper;

namespace OcppServer.Storage.Repositories;

public sealed class BiometricReaderRepository(SqliteDatabase database)
{
    /// <summary>Sets the charge point's reader key; false when the key id belongs to another charge point's reader.</summary>
    public Task<bool> UpsertAsync(BiometricReaderRow reader, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) =>
        {
            bool taken = c.ExecuteScalar<bool>(
                "SELECT EXISTS (SELECT 1 FROM biometric_readers WHERE key_id = @KeyId AND charge_point_id <> @ChargePointId)", reader, t);
            if (taken)
            {
                return false;
            }

            c.Execute(
                """
                INSERT INTO biometric_readers (charge_point_id, key_id, public_key_pem, updated_at)
                VALUES (@ChargePointId, @KeyId, @PublicKeyPem, @UpdatedAt)
                ON CONFLICT (charge_point_id) DO UPDATE SET key_id = excluded.key_id, public_key_pem = excluded.public_key_pem,
                    updated_at = excluded.updated_at
                """, reader, t);
            return true;
        }, cancellationToken));

    public Task<BiometricReaderRow?> GetByKeyIdAsync(string keyId, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("reader_by_key", keyId, () => database.ReadAsync(c => c.QuerySingleOrDefault<BiometricReaderRow>(
            "SELECT * FROM biometric_readers WHERE key_id = @keyId", new { keyId }), cancellationToken));

    public Task<BiometricReaderRow?> GetForChargePointAsync(string chargePointId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<BiometricReaderRow>(
            "SELECT * FROM biometric_readers WHERE charge_point_id = @chargePointId", new { chargePointId }), cancellationToken);
}
