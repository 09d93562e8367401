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
    }
}
