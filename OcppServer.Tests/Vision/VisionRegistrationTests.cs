using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

public sealed class VisionRegistrationTests
{
    [Test]
    public void AddPlateReader_binds_the_Vision_section_and_resolves_the_reader()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Vision:WorkerCount"] = "2",
                ["Vision:Formats:0"] = "EU",
                ["Vision:DefaultRegions:0"] = "DE",
            })
            .Build();
        var services = new ServiceCollection().AddLogging().AddPlateReader(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<VisionOptions>>().Value;
        Assert.That(options.WorkerCount, Is.EqualTo(2));
        Assert.That(provider.GetRequiredService<PlateFormats>().Enabled.Select(f => f.Name), Is.EqualTo(new[] { "Generic" }), "EU is the generic rule's former name");
        Assert.That(provider.GetRequiredService<IPlateReader>(), Is.SameAs(provider.GetRequiredService<PlateReader>()));
        Assert.That(provider.GetServices<IHostedService>().Count(), Is.EqualTo(1), "the reader is created at start-up");
        Assert.That(provider.GetRequiredService<PlateMatcher>(), Is.Not.Null);
        Assert.That(provider.GetRequiredService<PlateFormatOrders>().Fallback.Formats.Select(f => f.Format.Name), Is.EqualTo(new[] { "DE", "Generic" }));
        Assert.That(provider.GetRequiredService<PlateFormatDecoder>(), Is.Not.Null);
    }

    [TestCase("Vision:FormatsFile", "/nonexistent/plate-formats.json", "Vision:FormatsFile /nonexistent/plate-formats.json cannot be read")]
    [TestCase("Vision:DefaultRegions:0", "Atlantis", "Vision:DefaultRegions names Atlantis")]
    public async Task A_wrong_format_setting_stops_the_start_saying_what_is_wrong(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var provider = new ServiceCollection().AddLogging().AddPlateReader(configuration).BuildServiceProvider();
        var startup = provider.GetServices<IHostedService>().Single();
        var e = await Assert.ThrowsAsync<PlateFormatCatalogueException>(() => startup.StartAsync(CancellationToken.None));
        Assert.That(e!.Message, Does.Contain(message));
    }
}
