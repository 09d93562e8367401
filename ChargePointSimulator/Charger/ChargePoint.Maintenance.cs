using System.Globalization;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

// Firmware updates and diagnostics uploads: the status notification sequences real firmware sends.
// A location containing "download-fail", "install-fail" or "upload-fail" makes the matching step fail.
public sealed partial class ChargePoint
{
    internal Func<CancellationToken, Task> UpdateFirmware(UpdateFirmwareRequest request) =>
        _ => RunGuardedAsync("firmware update", () => UpdateFirmwareAsync(request, _stopping));

    internal (string FileName, Func<CancellationToken, Task> Then) GetDiagnostics(GetDiagnosticsRequest request)
    {
        string fileName = $"diagnostics-{Id}-{_time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.log";
        return (fileName, _ => RunGuardedAsync("diagnostics upload", () => UploadDiagnosticsAsync(request, _stopping)));
    }

    private async Task UpdateFirmwareAsync(UpdateFirmwareRequest request, CancellationToken cancellationToken)
    {
        var wait = request.RetrieveDate - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }

        await SetFirmwareStatusAsync(FirmwareStatus.Downloading, cancellationToken);
        if (request.Location.Contains("download-fail", StringComparison.OrdinalIgnoreCase))
        {
            await SetFirmwareStatusAsync(FirmwareStatus.DownloadFailed, cancellationToken);
            FirmwareStatus = FirmwareStatus.Idle;
            return;
        }

        await SetFirmwareStatusAsync(FirmwareStatus.Downloaded, cancellationToken);

        // Installation waits until no transaction runs.
        while (HasTransactions())
        {
            await Task.Delay(_options.FirmwareStepDuration, _time, cancellationToken);
        }

        await SetFirmwareStatusAsync(FirmwareStatus.Installing, cancellationToken);
        if (request.Location.Contains("install-fail", StringComparison.OrdinalIgnoreCase))
        {
            await SetFirmwareStatusAsync(FirmwareStatus.InstallationFailed, cancellationToken);
            FirmwareStatus = FirmwareStatus.Idle;
            return;
        }

        // As on real firmware, the new image runs after a reboot; Installed follows the next BootNotification.
        FirmwareVersion = FirmwareVersionFrom(request.Location) ?? FirmwareVersion + "+1";
        _reportInstalledAfterBoot = true;
        RequestReboot(ResetType.Hard);
    }

    /// <summary>Called once on line after a boot: completes a firmware update with FirmwareStatusNotification Installed.</summary>
    private void ReportFirmwareInstalled()
    {
        if (!_reportInstalledAfterBoot)
        {
            return;
        }

        _reportInstalledAfterBoot = false;
        if (ReportSignedFirmwareInstalled())
        {
            return;
        }

        FirmwareStatus = FirmwareStatus.Installed;
        Raise(ChargePointEventKind.FirmwareStatus, FirmwareStatus.ToString());
        Forget(Send("FirmwareStatusNotification", new FirmwareStatusNotificationRequest(FirmwareStatus.Installed)));
        FirmwareStatus = FirmwareStatus.Idle;
    }

    private async Task UploadDiagnosticsAsync(GetDiagnosticsRequest request, CancellationToken cancellationToken)
    {
        DiagnosticsStatus = DiagnosticsStatus.Uploading;
        Raise(ChargePointEventKind.DiagnosticsStatus, $"{DiagnosticsStatus} to {request.Location}");
        Forget(Send("DiagnosticsStatusNotification", new DiagnosticsStatusNotificationRequest(DiagnosticsStatus)));
        await Task.Delay(_options.FirmwareStepDuration, _time, cancellationToken);
        DiagnosticsStatus = request.Location.Contains("upload-fail", StringComparison.OrdinalIgnoreCase)
            ? DiagnosticsStatus.UploadFailed
            : DiagnosticsStatus.Uploaded;
        Raise(ChargePointEventKind.DiagnosticsStatus, DiagnosticsStatus.ToString());
        Forget(Send("DiagnosticsStatusNotification", new DiagnosticsStatusNotificationRequest(DiagnosticsStatus)));
        DiagnosticsStatus = DiagnosticsStatus.Idle;
    }

    private async Task SetFirmwareStatusAsync(FirmwareStatus status, CancellationToken cancellationToken)
    {
        FirmwareStatus = status;
        Raise(ChargePointEventKind.FirmwareStatus, status.ToString());
        Forget(Send("FirmwareStatusNotification", new FirmwareStatusNotificationRequest(status)));
        if (status is FirmwareStatus.Downloading or FirmwareStatus.Installing)
        {
            await Task.Delay(_options.FirmwareStepDuration, _time, cancellationToken);
        }
    }

    private bool HasTransactions()
    {
        lock (_gate)
        {
            return _connectors.Any(c => c.Transaction is not null);
        }
    }

    /// <summary>"https://host/fw/simcharger-2.1.0.bin" → "2.1.0".</summary>
    private static string? FirmwareVersionFrom(string location)
    {
        string name = Path.GetFileNameWithoutExtension(new Uri(location, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(location).AbsolutePath : location);
        int dash = name.LastIndexOf('-');
        string candidate = dash >= 0 ? name[(dash + 1)..] : name;
        return candidate.Length is > 0 and <= 50 && char.IsDigit(candidate[0]) ? candidate : null;
    }

    private async Task RunGuardedAsync(string what, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception ex) when (ex is OperationCanceledException or OcppNotConnectedException or OcppCallErrorException or OcppCallTimeoutException)
        {
            Raise(ChargePointEventKind.Information, $"{what} interrupted: {ex.Message}");
        }
    }
}
