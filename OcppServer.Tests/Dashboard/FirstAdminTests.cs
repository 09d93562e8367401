using OcppServer.Dashboard;
using OcppServer.Operators;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Dashboard;

/// <summary>The first admin: from configuration on first start, or from the command line; never a second time.</summary>
public sealed class FirstAdminTests
{
    [Test]
    public async Task Configuration_creates_the_first_admin_once()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Dashboard:InitialAdmin:UserName"] = "root-admin",
            ["Dashboard:InitialAdmin:Password"] = "first-start-secret-42",
        });
        var store = server.GetService<IOperatorAccountStore>();
        var admin = await store.FindByUserNameAsync("ROOT-ADMIN", CancellationToken.None);
        Assert.That(admin?.Role, Is.EqualTo(OperatorRole.Admin));

        // A later start with other initial settings changes nothing: an account exists.
        server.ChangeSetting("Dashboard:InitialAdmin:UserName", "second-admin");
        await server.RestartAsync();
        store = server.GetService<IOperatorAccountStore>(); // the restarted server's
        Assert.That(await store.FindByUserNameAsync("second-admin", CancellationToken.None), Is.Null);
        Assert.That(await server.GetService<IOperatorAccountStore>().CountAsync(CancellationToken.None), Is.EqualTo(1));

        using var client = DashboardClient.Anonymous(server);
        using var login = await client.PostFormAsync("/account/login", new Dictionary<string, string>
        {
            ["UserName"] = "root-admin", ["Password"] = "first-start-secret-42",
        });
        Assert.That(login.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Redirect));
    }

    [Test]
    public async Task A_weak_initial_admin_password_stops_the_start()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
            {
                ["Dashboard:InitialAdmin:UserName"] = "root-admin",
                ["Dashboard:InitialAdmin:Password"] = "short",
            });
        });
        Assert.That(ex!.Message, Does.Contain("Dashboard:InitialAdmin"));
    }

    [Test]
    public async Task The_command_line_adds_accounts_reading_the_password_from_standard_input()
    {
        await using var server = await TestServer.StartAsync();
        var output = new StringWriter();
        int code = await FirstAdmin.RunCommandAsync(server.Services, ["add", "night-shift", "--role", "operator"],
            new StringReader("a-password-from-stdin\n"), output, CancellationToken.None);
        Assert.That(code, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("Created operator account night-shift").And.Not.Contain("a-password-from-stdin"));
        var account = await server.GetService<IOperatorAccountStore>().FindByUserNameAsync("night-shift", CancellationToken.None);
        Assert.That(account?.Role, Is.EqualTo(OperatorRole.Operator));

        var again = new StringWriter();
        Assert.That(await FirstAdmin.RunCommandAsync(server.Services, ["add", "Night-Shift"], new StringReader("another-password-1\n"), again, CancellationToken.None),
            Is.EqualTo(1));
        Assert.That(again.ToString(), Does.Contain("taken"));

        var usage = new StringWriter();
        Assert.That(await FirstAdmin.RunCommandAsync(server.Services, ["add", "x", "--role", "root"], new StringReader(""), usage, CancellationToken.None),
            Is.EqualTo(2));
    }
}
