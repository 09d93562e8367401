using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OcppServer.Vision;

public static class VisionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the plate reader (<see cref="IPlateReader"/>), <see cref="PlateFormats"/> and <see cref="PlateMatcher"/>
    /// with options from the <c>Vision</c> section. The reader is created when the host starts, so missing model files
    /// stop the server at start-up with a message naming the setup command.
    /// </summary>
    public static IServiceCollection AddPlateReader(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<VisionOptions>(configuration.GetSection(VisionOptions.Section));
        services.AddOptions<VisionOptions>()
            .Validate(o => o.WorkerCount >= 1 && o.QueueLimit >= 0 && o.MaxImageBytes > 0 && o.MaxPixels > 0,
                "Vision: WorkerCount must be at least 1, QueueLimit not negative, MaxImageBytes and MaxPixels positive.")
            .Validate(o => o.MaxBurstFrames is >= 1 and <= 64 && o.MaxBurstBytes > 0 && o.BurstWindowSeconds is >= 1 and <= 300,
                "Vision: MaxBurstFrames must be 1 to 64, MaxBurstBytes positive, BurstWindowSeconds 1 to 300.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new PlateFormats(sp.GetRequiredService<IOptions<VisionOptions>>()));
        services.AddSingleton<PlateMatcher>();
        services.AddSingleton<PlateReader>();
        services.AddSingleton<IPlateReader>(sp => sp.GetRequiredService<PlateReader>());
        services.AddHostedService<PlateReaderStartup>();
        return services;
    }
}

/// <summary>Creates the plate reader when the host starts, so a missing model fails fast instead of on the first image.</summary>
internal sealed class PlateReaderStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IPlateReader>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
