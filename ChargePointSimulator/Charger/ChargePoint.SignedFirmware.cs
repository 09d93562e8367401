using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>
/// Secure firmware updates (SignedUpdateFirmware; OCA TC_080, TC_081) and log uploads (GetLog; TC_079) of the OCPP 1.6
/// security whitepaper. The firmware file is read from the location (<c>file://</c>, a path, or http(s)://) and its
/// signature (base64: RSA PKCS#1 v1.5 or PSS, or ECDSA, over SHA-256) is checked with the signing certificate's key before
/// anything is installed. A location containing "download-fail", "install-fail" or "upload-fail" makes that step fail.
/// </summary>
public sealed partial class ChargePoint
{
    public const string InvalidFirmwareSignatureEvent = "InvalidFirmwareSignature";
    public const string InvalidFirmwareSigningCertificateEvent = "InvalidFirmwareSigningCertificate";

    /// <summary>The largest firmware file the simulator reads.</summary>
    private const long MaxFirmwareBytes = 64L * 1024 * 1024;

    private int _signedFirmwareBusy;
    private int? _installedAfterBootRequestId;

    public SignedFirmwareStatus SignedFirmwareStatus { get; private set; } = SignedFirmwareStatus.Idle;

    public int? SignedFirmwareRequestId { get; private set; }

    public UploadLogStatus LogUploadStatus { get; private set; } = UploadLogStatus.Idle;

    public int? LogRequestId { get; private set; }

    /// <summary>
    /// SignedUpdateFirmware: InvalidCertificate when the signing certificate cannot be read, is not valid now, or does not
    /// chain to an installed manufacturer root (when there is one), with an InvalidFirmwareSigningCertificate security event;
    /// Rejected while another signed update runs; else Accepted and the update follows.
    /// </summary>
    internal (UpdateFirmwareStatus Status, Func<CancellationToken, Task>? Then) SignedUpdateFirmware(SignedUpdateFirmwareRequest request)
    {
        X509Certificate2 signer;
        try
        {
            signer = X509Certificate2.CreateFromPem(request.Firmware.SigningCertificate);
        }
        catch (CryptographicException ex)
        {
            return InvalidSigningCertificate($"not a PEM certificate ({ex.Message})");
        }

        if (SigningCertificateProblem(signer) is { } problem)
        {
            signer.Dispose();
            return InvalidSigningCertificate(problem);
        }

        if (Interlocked.CompareExchange(ref _signedFirmwareBusy, 1, 0) != 0)
        {
            signer.Dispose();
            return (UpdateFirmwareStatus.Rejected, null);
        }

        return (UpdateFirmwareStatus.Accepted, _ => RunGuardedAsync("signed firmware update", async () =>
        {
            try
            {
                await SignedFirmwareAsync(request, signer, _stopping);
            }
            finally
            {
                signer.Dispose();
                Volatile.Write(ref _signedFirmwareBusy, 0);
            }
        }));
    }

    private (UpdateFirmwareStatus, Func<CancellationToken, Task>?) InvalidSigningCertificate(string problem)
    {
        Raise(ChargePointEventKind.FirmwareStatus, $"SignedUpdateFirmware refused: signing certificate {problem}");
        return (UpdateFirmwareStatus.InvalidCertificate, ct =>
        {
            Forget(ReportSecurityEventAsync(InvalidFirmwareSigningCertificateEvent, problem, ct));
            return Task.CompletedTask;
        });
    }

    private string? SigningCertificateProblem(X509Certificate2 signer)
    {
        var now = _time.GetUtcNow();
        if (now < signer.NotBefore.ToUniversalTime() || now > signer.NotAfter.ToUniversalTime())
        {
            return "not valid now";
        }

        var roots = _installed.Certificates(CertificateUse.ManufacturerRootCertificate);
        if (roots.Count == 0)
        {
            return null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(signer) ? null : "does not chain to an installed manufacturer root certificate";
    }

    private async Task SignedFirmwareAsync(SignedUpdateFirmwareRequest request, X509Certificate2 signer, CancellationToken cancellationToken)
    {
        int id = request.RequestId;
        var firmware = request.Firmware;
        await WaitUntilAsync(firmware.RetrieveDateTime, cancellationToken);
        await SetSignedFirmwareStatusAsync(SignedFirmwareStatus.Downloading, id, cancellationToken);
        byte[]? image = await DownloadAsync(firmware.Location, cancellationToken);
        if (image is null)
        {
            await SetSignedFirmwareStatusAsync(SignedFirmwareStatus.DownloadFailed, id, cancellationToken);
            SignedFirmwareStatus = SignedFirmwareStatus.Idle;
            return;
        }

        await SetSignedFirmwareStatusAsync(SignedFirmwareStatus.Downloaded, id, cancellationToken);
        if (!SignatureVerifies(signer, image, firmware.Signature))
        {
            await SetSignedFirmwareStatusAsync(SignedFirmwareStatus.InvalidSignature, id, cancellationToken);
            Forget(ReportSecurityEventAsync(InvalidFirmwareSignatureEvent, $"firmware {firmware.Location}: the signature does not verify", cancellationToken));
            SignedFirmwareStatus = SignedFirmwareStatus.Idle;
            return;
        }

        await SetSignedFirmwareStatusAsync(SignedFirmwareStatus.SignatureVerified, id, cancellationToken);
        if (firmware.InstallDateTime is { } installAt)
        {
            await WaitUntilAsync(installAt, cancellationToken);
        }

        while (HasTransactions())
        {
            await Task.Delay(_options.FirmwareStepDuration, _time, cancellationToken);
        }

        await SetSignedFirmwareStatusAsync(SignedFirmwareStatus.Installing, id, cancellationToken);
        if (firmware.Location.Contains("install-fail", StringComparison.OrdinalIgnoreCase))
        {
            await SetSignedFirmwareStatusAsync(SignedFirmwareStatus.InstallationFailed, id, cancellationToken);
            SignedFirmwareStatus = SignedFirmwareStatus.Idle;
            return;
        }

        // The new image runs after a reboot; Installed follows the next BootNotification.
        FirmwareVersion = FirmwareVersionFrom(firmware.Location) ?? FirmwareVersion + "+1";
        SignedFirmwareStatus = SignedFirmwareStatus.InstallRebooting;
        Raise(ChargePointEventKind.FirmwareStatus, $"InstallRebooting (request {id})");
        try
        {
            // Delivered before the reboot drops the connection.
            await Send("SignedFirmwareStatusNotification", new SignedFirmwareStatusNotificationRequest(SignedFirmwareStatus.InstallRebooting, id))
                .WaitAsync(_options.CallTimeout, _time, cancellationToken);
        }
        catch (Exception ex) when (ex is OcppNotConnectedException or OcppCallErrorException or OcppCallTimeoutException or TimeoutException)
        {
            Raise(ChargePointEventKind.FirmwareStatus, $"InstallRebooting not delivered: {ex.Message}");
        }

        _installedAfterBootRequestId = id;
        _reportInstalledAfterBoot = true;
        RequestReboot(ResetType.Hard);
    }

    private async Task WaitUntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var wait = at - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>The firmware file, or null when it cannot be read (or the location asks for a failure).</summary>
    private async Task<byte[]?> DownloadAsync(string location, CancellationToken cancellationToken)
    {
        if (location.Contains("download-fail", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var uri = new Uri(location, UriKind.RelativeOrAbsolute);
            if (!uri.IsAbsoluteUri || uri.IsFile)
            {
                string path = uri.IsAbsoluteUri ? uri.LocalPath : location;
                return new FileInfo(path).Length <= MaxFirmwareBytes ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
            }

            if (uri.Scheme is not ("http" or "https"))
            {
                return null;
            }

            using var http = new HttpClient { MaxResponseContentBufferSize = MaxFirmwareBytes, Timeout = _options.CallTimeout };
            return await http.GetByteArrayAsync(uri, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or UriFormatException
                                       or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Raise(ChargePointEventKind.FirmwareStatus, $"download of {location} failed: {ex.Message}");
            return null;
        }
    }

    /// <summary>Whether <paramref name="signatureBase64"/> is the signing certificate key's signature over SHA-256 of <paramref name="image"/>.</summary>
    private static bool SignatureVerifies(X509Certificate2 signer, byte[] image, string signatureBase64)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureBase64);
        }
        catch (FormatException)
        {
            return false;
        }

        try
        {
            using (var rsa = signer.GetRSAPublicKey())
            {
                if (rsa is not null)
                {
                    return rsa.VerifyData(image, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                           || rsa.VerifyData(image, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }
            }

            using var ec = signer.GetECDsaPublicKey();
            return ec is not null
                   && (ec.VerifyData(image, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                       || ec.VerifyData(image, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private async Task SetSignedFirmwareStatusAsync(SignedFirmwareStatus status, int requestId, CancellationToken cancellationToken)
    {
        SignedFirmwareStatus = status;
        SignedFirmwareRequestId = requestId;
        Raise(ChargePointEventKind.FirmwareStatus, $"{status} (request {requestId})");
        Forget(Send("SignedFirmwareStatusNotification", new SignedFirmwareStatusNotificationRequest(status, requestId)));
        if (status is SignedFirmwareStatus.Downloading or SignedFirmwareStatus.Installing)
        {
            await Task.Delay(_options.FirmwareStepDuration, _time, cancellationToken);
        }
    }

    /// <summary>Called once on line after a boot that completes a signed firmware update: SignedFirmwareStatusNotification Installed.</summary>
    private bool ReportSignedFirmwareInstalled()
    {
        if (_installedAfterBootRequestId is not { } id)
        {
            return false;
        }

        _installedAfterBootRequestId = null;
        SignedFirmwareStatus = SignedFirmwareStatus.Installed;
        Raise(ChargePointEventKind.FirmwareStatus, $"Installed (request {id})");
        Forget(Send("SignedFirmwareStatusNotification", new SignedFirmwareStatusNotificationRequest(SignedFirmwareStatus.Installed, id)));
        SignedFirmwareStatus = SignedFirmwareStatus.Idle;
        return true;
    }

    /// <summary>GetLog: Accepted with the file name, then LogStatusNotification Uploading and Uploaded (or UploadFailure).</summary>
    internal (GetLogResponse Response, Func<CancellationToken, Task> Then) GetLog(GetLogRequest request)
    {
        string fileName = $"{(request.LogType == LogType.SecurityLog ? "security" : "diagnostics")}-{Id}-" +
                          $"{_time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.log";
        return (new GetLogResponse(LogStatus.Accepted, fileName), _ => RunGuardedAsync("log upload", () => UploadLogAsync(request, _stopping)));
    }

    private async Task UploadLogAsync(GetLogRequest request, CancellationToken cancellationToken)
    {
        SetLogStatus(UploadLogStatus.Uploading, request.RequestId, $"{request.LogType} to {request.Log.RemoteLocation}");
        await Task.Delay(_options.FirmwareStepDuration, _time, cancellationToken);
        SetLogStatus(request.Log.RemoteLocation.Contains("upload-fail", StringComparison.OrdinalIgnoreCase) ? UploadLogStatus.UploadFailure : UploadLogStatus.Uploaded,
            request.RequestId, null);
        LogUploadStatus = UploadLogStatus.Idle;
    }

    private void SetLogStatus(UploadLogStatus status, int? requestId, string? detail)
    {
        LogUploadStatus = status;
        LogRequestId = requestId;
        Raise(ChargePointEventKind.DiagnosticsStatus, $"log {status}{(detail is null ? "" : " " + detail)}");
        Forget(Send("LogStatusNotification", new LogStatusNotificationRequest(status, requestId)));
    }
}
