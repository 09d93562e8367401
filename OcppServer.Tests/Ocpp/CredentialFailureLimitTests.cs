using System.Net;
using System.Net.Http.Headers;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// Guessing credentials is limited per credential and per source address: once the failures are spent, even the right
/// credential is refused (without being checked) until the bucket refills. Each test has its own server, since every
/// test shares the address 127.0.0.1.
/// </summary>
public sealed class CredentialFailureLimitTests
{
    private static Task<TestServer> StartAsync(int perCredential, int perAddress) => TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Security:CredentialFailures:PerCredentialBurst"] = $"{perCredential}",
        ["Security:CredentialFailures:PerCredentialRefillSeconds"] = "3600",
        ["Security:CredentialFailures:PerAddressBurst"] = $"{perAddress}",
        ["Security:CredentialFailures:PerAddressRefillSeconds"] = "3600",
    });

    [Test]
    public async Task Guessing_a_charge_points_password_locks_that_identity_only()
    {
        await using var server = await StartAsync(perCredential: 3, perAddress: 100);
        await server.RegisterChargePointAsync("TARGET");
        await server.RegisterChargePointAsync("BYSTANDER");

        for (int i = 0; i < 3; i++)
        {
            Assert.That(await OcppTestClient.HandshakeStatusAsync(server.WebSocketUri("TARGET"), "TARGET", TestServer.NewPassword()),
                Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        Assert.That(await OcppTestClient.HandshakeStatusAsync(server.WebSocketUri("TARGET"), "TARGET", server.PasswordOf("TARGET")),
            Is.EqualTo(HttpStatusCode.Unauthorized), "locked: the right password is not even checked");
        Assert.That(await OcppTestClient.HandshakeStatusAsync(server.WebSocketUri("BYSTANDER"), "BYSTANDER", server.PasswordOf("BYSTANDER")),
            Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    [Test]
    public async Task Probing_many_identities_from_one_address_locks_the_address()
    {
        await using var server = await StartAsync(perCredential: 100, perAddress: 5);
        await server.RegisterChargePointAsync("REAL");

        for (int i = 0; i < 5; i++)
        {
            Assert.That(await OcppTestClient.HandshakeStatusAsync(server.WebSocketUri($"GUESS-{i}")), Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        Assert.That(await OcppTestClient.HandshakeStatusAsync(server.WebSocketUri("REAL"), "REAL", server.PasswordOf("REAL")),
            Is.EqualTo(HttpStatusCode.Unauthorized), "this address spent its failures");
    }

    [Test]
    public async Task Guessing_a_camera_key_locks_that_camera()
    {
        await using var server = await StartAsync(perCredential: 3, perAddress: 100);
        (await server.PostAsync("/api/stations", new { id = "ST-LIMIT", name = "Limit" })).AssertStatus(HttpStatusCode.Created);
        string key = (await server.PostAsync("/api/cameras", new { id = "CAM-LIMIT", stationId = "ST-LIMIT" }))
            .AssertStatus(HttpStatusCode.Created).GetProperty("key").GetString()!;

        for (int i = 0; i < 3; i++)
        {
            Assert.That(await CaptureStatusAsync(server, "wrong-key-" + i), Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        Assert.That(await CaptureStatusAsync(server, key), Is.EqualTo(HttpStatusCode.Unauthorized), "locked: the right key is not even checked");
    }

    [Test]
    public async Task Guessing_operator_keys_locks_the_address()
    {
        await using var server = await StartAsync(perCredential: 100, perAddress: 4);
        using var guesser = new HttpClient { BaseAddress = server.BaseUri };

        for (int i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/chargepoints");
            request.Headers.Add("X-Api-Key", "guess-" + i);
            Assert.That((await guesser.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        Assert.That((await server.GetAsync("/api/chargepoints")).Status, Is.EqualTo(HttpStatusCode.Unauthorized),
            "the right key from a locked address is refused too");
    }

    private static async Task<HttpStatusCode> CaptureStatusAsync(TestServer server, string key)
    {
        using var form = new MultipartFormDataContent();
        var image = new ByteArrayContent(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0 });
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(image, "image", "capture.jpg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cameras/CAM-LIMIT/captures") { Content = form };
        request.Headers.Add("X-Camera-Key", key);
        using var response = await server.Api.SendAsync(request);
        return response.StatusCode;
    }
}
