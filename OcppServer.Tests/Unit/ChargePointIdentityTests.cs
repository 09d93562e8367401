using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OcppServer.Ocpp.Connections;

namespace OcppServer.Tests.Unit;

/// <summary>The charge point identity: last path segment of <c>/ocpp/{id}</c>, URL-decoded, 1 to 48 characters, no control characters.</summary>
public sealed class ChargePointIdentityTests
{
    private static string? ReadIdentity(string rawTarget)
    {
        var http = new DefaultHttpContext();
        http.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        return OcppWebSocketEndpoint.ReadIdentity(http);
    }

    [TestCase("CP001", true)]
    [TestCase("A", true)]
    [TestCase("CP A", true)]
    [TestCase("Ladesäule-7", true)]
    [TestCase("", false)]
    [TestCase("CP\u0001", false)]
    [TestCase("CP\n1", false)]
    [TestCase("CP\u007F", false)]
    public void Identity_validity(string identity, bool valid)
    {
        Assert.That(OcppWebSocketEndpoint.IsValidIdentity(identity), Is.EqualTo(valid));
    }

    [Test]
    public void Identity_length_limit_is_48()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(OcppWebSocketEndpoint.IsValidIdentity(new string('x', 48)), Is.True);
            Assert.That(OcppWebSocketEndpoint.IsValidIdentity(new string('x', 49)), Is.False);
        }
    }

    [TestCase("/ocpp/CP001", "CP001")]
    [TestCase("/ocpp/CP%20A", "CP A")]
    [TestCase("/ocpp/CP001?token=x", "CP001")]
    [TestCase("/ocpp/site-1/CP002", "CP002")]
    [TestCase("/ocpp/Lades%C3%A4ule", "Ladesäule")]
    [TestCase("/ocpp/a%2Fb", "a/b")]
    public void Identity_is_the_url_decoded_last_segment(string rawTarget, string expected)
    {
        Assert.That(ReadIdentity(rawTarget), Is.EqualTo(expected));
    }

    [TestCase("/ocpp/", TestName = "empty identity")]
    [TestCase("/ocpp/CP001/", TestName = "trailing slash")]
    [TestCase("/ocpp/CP%0A1", TestName = "encoded control character")]
    [TestCase("/ocpp/0123456789012345678901234567890123456789012345678", TestName = "49 characters")]
    [TestCase("/ocpp/%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20%20", TestName = "49 characters after decoding")]
    public void Invalid_identity_reads_as_null(string rawTarget)
    {
        Assert.That(ReadIdentity(rawTarget), Is.Null);
    }
}
