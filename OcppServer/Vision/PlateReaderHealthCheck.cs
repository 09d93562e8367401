using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OcppServer.Vision;

/// <summary>
/// Ready when the plate reader can read: its recognition model is loaded, or (before the first image, which loads it)
/// its model files are where the server found them at start. Reports which in <c>modelLoaded</c>.
/// </summary>
public sealed class PlateReaderHealthCheck(PlateReader reader, IOptions<VisionOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (reader.ModelLoaded)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The plate-reading model is loaded", Data(true)));
        }

        try
        {
            ModelFiles.Locate(options.Value);
            return Task.FromResult(HealthCheckResult.Healthy("The plate-reading model's files are present; it is loaded with the first image", Data(false)));
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The plate-reading model's files are missing", data: Data(false)));
        }
    }

    private static Dictionary<string, object> Data(bool loaded) => new() { ["modelLoaded"] = loaded };
}
