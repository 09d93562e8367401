using OcppServer.Authorization;
using OcppServer.ChargePoints;
using OcppServer.Ocpp.Messages;
using OcppServer.Security;

namespace OcppServer.Commands;

/// <summary>The gate's requests to chargers as OCPP 1.6 calls, sent (and logged) by <see cref="ChargePointCommandService"/>.</summary>
public sealed class OcppChargerCommands(ChargePointCommandService commands, ILogger<OcppChargerCommands> logger) : IChargerCommands, IChargerSecuritySettings, IChargerCertificates
{
    Task<ChargerAnswer> IChargerCertificates.SendCertificateChainAsync(string chargePointId, string certificateChainPem, CancellationToken cancellationToken) =>
        AskAsync<CertificateSignedRequest, CertificateSignedResponse>(
            chargePointId, "CertificateSigned", new CertificateSignedRequest(certificateChainPem), r => r.Status, cancellationToken);

    async Task<ChargerAnswer> IChargerSecuritySettings.ChangeConfigurationAsync(string chargePointId, string key, string value, CancellationToken cancellationToken) =>
        await AskAsync<ChangeConfigurationRequest, ChangeConfigurationResponse>(
            chargePointId, "ChangeConfiguration", new ChangeConfigurationRequest(key, value), r => r.Status, cancellationToken);

    public Task<ChargerAnswer> HardResetAsync(string chargePointId, CancellationToken cancellationToken) =>
        AskAsync<ResetRequest, ResetResponse>(chargePointId, "Reset", new ResetRequest("Hard"), r => r.Status, cancellationToken);

    /// <summary>A CALLERROR is the charger's answer; a timeout, a lost connection or a malformed answer is none.</summary>
    private async Task<ChargerAnswer> AskAsync<TRequest, TResponse>(
        string chargePointId, string action, TRequest request, Func<TResponse, string> status, CancellationToken cancellationToken)
    {
        try
        {
            return new ChargerAnswer(true, status(await commands.SendAsync<TRequest, TResponse>(chargePointId, action, request, cancellationToken)));
        }
        catch (CommandFailedException ex) when (ex.Kind == CommandFailureKind.CallError)
        {
            return new ChargerAnswer(true, ex.ErrorCode ?? "CallError");
        }
        catch (CommandFailedException ex) when (ex.Kind is CommandFailureKind.NotConnected or CommandFailureKind.Timeout or CommandFailureKind.InvalidResponse
                                                    or CommandFailureKind.ChargePointNotFound)
        {
            logger.LogWarning("{Action} to {ChargePointId} got no answer: {Reason}", action, chargePointId, ex.Message);
            return new ChargerAnswer(false, ex.Kind.ToString());
        }
    }

    public Task<string> RemoteStartAsync(string chargePointId, int connectorId, string idTag, CancellationToken cancellationToken) =>
        SendAsync<RemoteStartTransactionRequest, RemoteStartTransactionResponse>(
            chargePointId, "RemoteStartTransaction", new RemoteStartTransactionRequest(idTag, connectorId), r => r.Status, cancellationToken);

    public Task<string> RemoteStopAsync(string chargePointId, int transactionId, CancellationToken cancellationToken) =>
        SendAsync<RemoteStopTransactionRequest, RemoteStopTransactionResponse>(
            chargePointId, "RemoteStopTransaction", new RemoteStopTransactionRequest(transactionId), r => r.Status, cancellationToken);

    public Task<string> ChangeConfigurationAsync(string chargePointId, string key, string value, CancellationToken cancellationToken) =>
        SendAsync<ChangeConfigurationRequest, ChangeConfigurationResponse>(
            chargePointId, "ChangeConfiguration", new ChangeConfigurationRequest(key, value), r => r.Status, cancellationToken);

    public Task<string> ClearCacheAsync(string chargePointId, CancellationToken cancellationToken) =>
        SendAsync<ClearCacheRequest, ClearCacheResponse>(chargePointId, "ClearCache", new ClearCacheRequest(), r => r.Status, cancellationToken);

    private async Task<string> SendAsync<TRequest, TResponse>(
        string chargePointId, string action, TRequest request, Func<TResponse, string> status, CancellationToken cancellationToken)
    {
        try
        {
            return status(await commands.SendAsync<TRequest, TResponse>(chargePointId, action, request, cancellationToken));
        }
        catch (CommandFailedException ex)
        {
            logger.LogWarning("{Action} to {ChargePointId} for the gate failed: {Reason}", action, chargePointId, ex.Message);
            return ex.ErrorCode ?? ex.Kind.ToString();
        }
    }
}
