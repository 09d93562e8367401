using System.Net;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Api;

/// <summary><c>/api/idtags</c>: create, read, update, block; the changes take effect in Authorize.</summary>
public sealed class IdTagsApiTests
{
    private TestServer _server = null!;
    private OcppTestClient _charger = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await TestServer.StartAsync();
        _charger = await _server.ConnectBootedAsync("IDTAG-READER");
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _charger.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<string?> AuthorizeAsync(string idTag) =>
        (await _charger.CallResultAsync("Authorize", new { idTag })).GetProperty("idTagInfo").GetProperty("status").GetString();

    [Test]
    public async Task Create_returns_201_with_location_and_defaults_to_Accepted()
    {
        string tag = TestIds.Next("NEW");
        string group = TestIds.Next("GROUP");
        await _server.CreateIdTagAsync(group); // a tag of an unregistered group is Invalid

        var response = await _server.PostAsync("/api/idtags", new { idTag = tag, expiryDate = "2099-05-06T07:08:09Z", parentIdTag = group });

        var body = response.AssertStatus(HttpStatusCode.Created);
        Assert.That(response.Location?.OriginalString, Is.EqualTo($"/api/idtags/{tag}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("idTag").GetString(), Is.EqualTo(tag));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
            Assert.That(body.GetProperty("expiryDate").GetString(), Is.EqualTo("2099-05-06T07:08:09.000Z"));
            Assert.That(body.GetProperty("parentIdTag").GetString(), Is.EqualTo(group));
        }

        var fetched = await _server.GetJsonAsync($"/api/idtags/{tag}");
        Assert.That(fetched.GetProperty("expiryDate").GetString(), Is.EqualTo("2099-05-06T07:08:09.000Z"));
        Assert.That(await AuthorizeAsync(tag), Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task Create_with_a_stored_status()
    {
        string tag = TestIds.Next("INV");

        (await _server.PostAsync("/api/idtags", new { idTag = tag, status = "Invalid" })).AssertStatus(HttpStatusCode.Created);

        Assert.That(await AuthorizeAsync(tag), Is.EqualTo("Invalid"));
    }

    [Test]
    public async Task Duplicate_is_409()
    {
        string tag = TestIds.Next("DUP");
        (await _server.PostAsync("/api/idtags", new { idTag = tag })).AssertStatus(HttpStatusCode.Created);

        (await _server.PostAsync("/api/idtags", new { idTag = tag, status = "Blocked" })).AssertProblem(HttpStatusCode.Conflict);

        Assert.That((await _server.GetJsonAsync($"/api/idtags/{tag}")).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
    }

    private static IEnumerable<TestCaseData> InvalidTags()
    {
        yield return new TestCaseData(new { idTag = "BADSTATUS-1", status = "Foo" }).SetName("Unknown status is 400");
        yield return new TestCaseData(new { idTag = "BADSTATUS-2", status = "ConcurrentTx" }).SetName("ConcurrentTx is not a stored status: 400");
        yield return new TestCaseData(new { idTag = "BADSTATUS-3", status = "accepted" }).SetName("Status is case-sensitive: 400");
        yield return new TestCaseData(new { idTag = "123456789012345678901" }).SetName("idTag of 21 characters is 400");
        yield return new TestCaseData(new { idTag = "" }).SetName("Empty idTag is 400");
        yield return new TestCaseData(new { status = "Accepted" }).SetName("Missing idTag is 400");
        yield return new TestCaseData(new { idTag = "BADPARENT-1", parentIdTag = "123456789012345678901" }).SetName("parentIdTag of 21 characters is 400");
    }

    [TestCaseSource(nameof(InvalidTags))]
    public async Task Invalid_id_tag_is_400(object request)
    {
        (await _server.PostAsync("/api/idtags", request)).AssertProblem(HttpStatusCode.BadRequest);

        var tags = (await _server.GetJsonAsync("/api/idtags")).EnumerateArray().Select(t => t.GetProperty("idTag").GetString()).ToList();
        Assert.That(tags, Has.None.StartWith("BAD"));
        Assert.That(tags, Has.None.EqualTo("123456789012345678901"));
    }

    [Test]
    public async Task IdTag_of_20_characters_is_accepted()
    {
        (await _server.PostAsync("/api/idtags", new { idTag = "12345678901234567890" })).AssertStatus(HttpStatusCode.Created);

        Assert.That(await AuthorizeAsync("12345678901234567890"), Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task Unknown_id_tag_is_404()
    {
        (await _server.GetAsync($"/api/idtags/{TestIds.Next("NOSUCH")}")).AssertProblem(HttpStatusCode.NotFound);
        (await _server.PostAsync($"/api/idtags/{TestIds.Next("NOSUCH")}/block")).AssertProblem(HttpStatusCode.NotFound);
        (await _server.PutAsync($"/api/idtags/{TestIds.Next("NOSUCH")}", new { status = "Accepted" })).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Block_makes_Authorize_answer_Blocked()
    {
        string tag = TestIds.Next("BLK");
        await _server.CreateIdTagAsync(tag);
        Assert.That(await AuthorizeAsync(tag), Is.EqualTo("Accepted"));

        var blocked = (await _server.PostAsync($"/api/idtags/{tag}/block")).AssertStatus(HttpStatusCode.OK);

        Assert.That(blocked.GetProperty("status").GetString(), Is.EqualTo("Blocked"));
        Assert.That((await _server.GetJsonAsync($"/api/idtags/{tag}")).GetProperty("status").GetString(), Is.EqualTo("Blocked"));
        Assert.That(await AuthorizeAsync(tag), Is.EqualTo("Blocked"));
    }

    [Test]
    public async Task Expiry_set_in_the_past_makes_Authorize_answer_Expired()
    {
        string tag = TestIds.Next("EXP");
        await _server.CreateIdTagAsync(tag);

        var updated = (await _server.PutAsync($"/api/idtags/{tag}", new { expiryDate = DateTimeOffset.UtcNow.AddMinutes(-1) })).AssertStatus(HttpStatusCode.OK);

        Assert.That(updated.GetProperty("status").GetString(), Is.EqualTo("Accepted"), "status kept when not given");
        Assert.That(updated.GetProperty("expiryDate").GetDateTimeOffset(), Is.LessThan(DateTimeOffset.UtcNow));
        Assert.That(await AuthorizeAsync(tag), Is.EqualTo("Expired"));

        (await _server.PutAsync($"/api/idtags/{tag}", new { expiryDate = DateTimeOffset.UtcNow.AddDays(1) })).AssertStatus(HttpStatusCode.OK);
        Assert.That(await AuthorizeAsync(tag), Is.EqualTo("Accepted"), "a future expiry makes it valid again");
    }

    [Test]
    public async Task Put_replaces_status_expiry_and_parent()
    {
        string tag = TestIds.Next("PUT");
        await _server.CreateIdTagAsync(tag, expiryDate: new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), parentIdTag: "OLD-PARENT");

        var updated = (await _server.PutAsync($"/api/idtags/{tag}", new { status = "Blocked" })).AssertStatus(HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(updated.GetProperty("status").GetString(), Is.EqualTo("Blocked"));
            Assert.That(updated.GetProperty("expiryDate").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(updated.GetProperty("parentIdTag").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }

        (await _server.PutAsync($"/api/idtags/{tag}", new { status = "Nope" })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That((await _server.GetJsonAsync($"/api/idtags/{tag}")).GetProperty("status").GetString(), Is.EqualTo("Blocked"));
    }

    [Test]
    public async Task List_contains_created_tags_in_order()
    {
        string prefix = TestIds.Next("LST");
        await _server.CreateIdTagAsync(prefix + "B");
        await _server.CreateIdTagAsync(prefix + "A", "Blocked");

        var tags = (await _server.GetJsonAsync("/api/idtags")).EnumerateArray()
            .Where(t => t.GetProperty("idTag").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            .Select(t => (t.GetProperty("idTag").GetString(), t.GetProperty("status").GetString()));

        Assert.That(tags, Is.EqualTo(new[] { (prefix + "A", "Blocked"), (prefix + "B", "Accepted") }));
    }

    [Test]
    public async Task Malformed_json_body_is_400_problem_details()
    {
        (await _server.PostRawAsync("/api/idtags", "{idTag: BROKEN}")).AssertProblem(HttpStatusCode.BadRequest);
    }
}
