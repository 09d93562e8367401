using OcppServer.Authorization.Decisions;
using OcppServer.Authorization.Evidence;
using OcppServer.Authorization.Hardening;
using OcppServer.Authorization.PreVerification;
using OcppServer.ChargePoints;
using OcppServer.Commands;
using OcppServer.Maintenance;
using OcppServer.Operators;
using OcppServer.Registry;
using OcppServer.Security;
using OcppServer.Transactions;

namespace OcppServer.Storage.Sql;

/// <summary>
/// Registers the SQL implementation of every domain store. The SQL is written once for every engine the product
/// supports (standard SQL with <c>ON CONFLICT</c> and <c>RETURNING</c>, which SQLite and PostgreSQL share) and runs on
/// the registered <see cref="IRelationalDatabase"/>.
/// </summary>
public static class SqlStores
{
    public static IServiceCollection AddSqlStores(this IServiceCollection services)
    {
        services.AddSingleton<IChargePointStore, SqlChargePointStore>();
        services.AddSingleton<ITransactionStore, SqlTransactionStore>();
        services.AddSingleton<IEvidenceStore, SqlEvidenceStore>();
        services.AddSingleton<IDecisionStore, SqlDecisionStore>();
        services.AddSingleton<IHardeningStore, SqlHardeningStore>();
        services.AddSingleton<IPreVerificationStore, SqlPreVerificationStore>();
        services.AddSingleton<ICapturePassageStore, SqlCapturePassageStore>();
        services.AddSingleton<IStationStore, SqlStationStore>();
        services.AddSingleton<IDriverStore, SqlDriverStore>();
        services.AddSingleton<IVehicleStore, SqlVehicleStore>();
        services.AddSingleton<IIdTagStore, SqlIdTagStore>();
        services.AddSingleton<ICameraStore, SqlCameraStore>();
        services.AddSingleton<IBiometricReaderStore, SqlBiometricReaderStore>();
        services.AddSingleton<ICommandLog, SqlCommandLog>();
        services.AddSingleton<ISecurityEventStore, SqlSecurityEventStore>();
        services.AddSingleton<IRevokedCertificateStore, SqlRevokedCertificateStore>();
        services.AddSingleton<ICertificateSigningRequestStore, SqlCertificateSigningRequestStore>();
        services.AddSingleton<IMaintenanceReportStore, SqlMaintenanceReportStore>();
        services.AddSingleton<IOperatorAccountStore, SqlOperatorAccountStore>();
        services.AddSingleton<IAuditLog, SqlAuditLog>();
        services.AddSingleton<Ocpp.IOcppMessageLog, SqlMessageLog>();
        return services;
    }
}
