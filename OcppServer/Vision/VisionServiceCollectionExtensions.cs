using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OcppServer.Vision;

public static class VisionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the plate reader (<see cref="IPlateReader"/>), the <see cref="PlateFormatCatalogue"/> (shipped file plus
    /// <c>Vision:FormatsFile</c>), <see cref="PlateFormats"/>, <see cref="PlateFormatOrders"/>,
    /// <see cref="StationPlateFormats"/> (needs the registry's <c>IStationStore</c>), <see cref="PlateFormatDecoder"/> and
    /// <see cref="PlateMatcher"/> with options from the <c>Vision</c> section. The reader and the format catalogue are
    /// created when the host starts, so missing model files or a wrong format file stop the server at start-up with a
    /// message that says what to fix.
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
        services.AddSingleton(sp => PlateFormatCatalogue.Load(sp.GetRequiredService<IOptions<VisionOptions>>().Value.FormatsFile));
        services.AddSingleton(sp => new PlateFormats(sp.GetRequiredService<IOptions<VisionOptions>>(), sp.GetRequiredService<PlateFormatCatalogue>()));
        services.AddSingleton(sp => new PlateFormatOrders(sp.GetRequiredService<PlateFormatCatalogue>(), sp.GetRequiredService<IOptions<VisionOptions>>()));
        services.AddSingleton<StationPlateFormats>();
        services.AddSingleton<PlateFormatDecoder>();
        services.AddSingleton<PlateMatcher>();
        services.AddSingleton<PlateReader>();
        services.AddSingleton<IPlateReader>(sp => sp.GetRequiredService<PlateReader>());
        services.AddHostedService<PlateReaderStartup>();
        return services;
    }
}

/// <summary>
/// Creates the plate format orders (so the catalogue and Vision:DefaultRegions are checked) and the plate reader when
/// the host starts, so a wrong format file or a missing model fails fast instead of on the first image.
/// </summary>
internal sealed class PlateReaderStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<PlateFormatOrders>();
        _ = services.GetRequiredService<IPlateReader>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
