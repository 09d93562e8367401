using System.Text;
using OcppServer.ChargePoints;

namespace OcppServer.Tests.Unit;

public sealed class PasswordHasherTests
{
    // Few iterations keep the unit tests fast; the format and the check are the same.
    private const int Iterations = 1000;

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public void Hash_has_the_documented_format()
    {
        string hash = PasswordHasher.Hash(Bytes("correct horse"), Iterations);

        string[] parts = hash.Split('$');
        Assert.That(parts, Has.Length.EqualTo(4));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parts[0], Is.EqualTo("pbkdf2-sha256"));
            Assert.That(parts[1], Is.EqualTo("1000"));
            Assert.That(Convert.FromBase64String(parts[2]), Has.Length.EqualTo(16), "salt bytes");
            Assert.That(Convert.FromBase64String(parts[3]), Has.Length.EqualTo(32), "hash bytes");
            Assert.That(hash, Does.Not.Contain("correct horse"));
        }
    }

    [Test]
    public void Default_iteration_count_is_stored()
    {
        Assert.That(PasswordHasher.Hash(Bytes("pw")).Split('$')[1], Is.EqualTo(PasswordHasher.DefaultIterations.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Verify_accepts_the_password_and_nothing_else()
    {
        string hash = PasswordHasher.Hash(Bytes("s3cret-Passw0rd"), Iterations);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PasswordHasher.Verify(Bytes("s3cret-Passw0rd"), hash), Is.True);
            Assert.That(PasswordHasher.Verify(Bytes("s3cret-Passw0rD"), hash), Is.False);
            Assert.That(PasswordHasher.Verify(Bytes("s3cret-Passw0rd "), hash), Is.False);
            Assert.That(PasswordHasher.Verify(Bytes(""), hash), Is.False);
        }
    }

    [Test]
    public void Same_password_gets_a_fresh_salt_each_time()
    {
        string first = PasswordHasher.Hash(Bytes("same"), Iterations);
        string second = PasswordHasher.Hash(Bytes("same"), Iterations);

        Assert.That(first, Is.Not.EqualTo(second));
        Assert.That(PasswordHasher.Verify(Bytes("same"), second), Is.True);
    }

    [Test]
    public void Non_ascii_passwords_are_hashed_as_utf8()
    {
        string hash = PasswordHasher.Hash(Bytes("pässwörd-€"), Iterations);

        Assert.That(PasswordHasher.Verify(Bytes("pässwörd-€"), hash), Is.True);
        Assert.That(PasswordHasher.Verify(Encoding.Latin1.GetBytes("pässwörd-€"), hash), Is.False);
    }

    [TestCase("", TestName = "empty stored hash")]
    [TestCase("s3cret-Passw0rd", TestName = "plain-text stored value")]
    [TestCase("md5$1000$AAAA$AAAA", TestName = "other scheme")]
    [TestCase("pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", TestName = "zero iterations")]
    [TestCase("pbkdf2-sha256$abc$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", TestName = "iterations not a number")]
    [TestCase("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==", TestName = "hash part missing")]
    [TestCase("pbkdf2-sha256$1000$not*base64$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", TestName = "salt not base64")]
    [TestCase("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$", TestName = "empty hash part")]
    public void Verify_rejects_a_malformed_stored_hash(string stored)
    {
        Assert.That(PasswordHasher.Verify(Bytes("s3cret-Passw0rd"), stored), Is.False);
    }
}
