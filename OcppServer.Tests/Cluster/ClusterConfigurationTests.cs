using Microsoft.Extensions.Options;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Cluster;

/// <summary>A node in multi-node mode refuses to start with what only one node can use.</summary>
public sealed class ClusterConfigurationTests
{
    private static Dictionary<string, string?> Multi(string? provider, string? templateKey, string? images) => new()
    {
        ["Cluster:Redis"] = "127.0.0.1:1", // never reached: the node stops before it connects
        ["Storage:Provider"] = provider,
        ["Storage:PostgreSql:ConnectionString"] = provider == "PostgreSql" ? "Host=/nonexistent;Database=x" : null,
        ["Biometrics:TemplateKey"] = templateKey,
        ["Storage:ImageDirectory"] = images,
    };

    [TestCase("Sqlite", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "/tmp/shared", "Storage:Provider=PostgreSql",
        TestName = "Several nodes cannot share a SQLite file")]
    [TestCase("PostgreSql", null, "/tmp/shared", "Biometrics:TemplateKey", TestName = "Several nodes need one template key from configuration")]
    [TestCase("PostgreSql", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", null, "Storage:ImageDirectory",
        TestName = "Several nodes need a shared image folder")]
    public async Task A_node_in_multi_node_mode_refuses_to_start_without_what_nodes_share(string provider, string? templateKey, string? images, string named)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var server = await TestServer.StartAsync(Multi(provider, templateKey, images));
        });

        Assert.That(refused!.Message, Does.Contain(named));
    }
}
