using System.Text;
using System.Text.Json;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>date-time (RFC 3339), string length and numbers, as JsonSchema.Net checked them — and where we differ.</summary>
public sealed class SchemaFormatTests
{
    private static readonly OcppSchemaValidator Validator = new();
    private static readonly JsonSchemaNetOracle Oracle = new();

    [TestCase("2025-06-02T08:00:00Z")]
    [TestCase("2025-06-02T08:00:00.123Z")]
    [TestCase("2025-06-02T08:00:00.123456789012Z", TestName = "any number of fraction digits")]
    [TestCase("2025-06-02t08:00:00z", TestName = "lower-case t and z (RFC 3339 §5.6 NOTE)")]
    [TestCase("2025-06-02 08:00:00Z", TestName = "space for T (RFC 3339 §5.6 NOTE)")]
    [TestCase("2025-06-02_08:00:00Z", TestName = "underscore for T, as JsonSchema.Net")]
    [TestCase("2025-06-02T10:00:00+02:00")]
    [TestCase("2025-06-02T08:00:00-00:00", TestName = "unknown local offset")]
    [TestCase("2024-02-29T08:00:00Z", TestName = "leap day")]
    [TestCase("2016-12-31T23:59:60Z", TestName = "leap second")]
    [TestCase("2017-01-01T00:59:60+01:00", TestName = "leap second at 23:59 UTC")]
    public void Date_time_accepted(string timestamp)
    {
        Assert.That(Timestamp(timestamp), Is.Null);
        Assert.That(Oracle.Validate("ocpp16/StartTransaction", StartTransaction(timestamp)), Is.Null, "as JsonSchema.Net");
    }

    [TestCase("2025-06-02", TestName = "date only")]
    [TestCase("2025-06-02T08:00:00", TestName = "no offset")]
    [TestCase("2025-06-02T08:00Z", TestName = "no seconds")]
    [TestCase("2025-06-02T08:00:00.Z", TestName = "empty fraction")]
    [TestCase("2025-06-02T08:00:00+0200", TestName = "offset without colon")]
    [TestCase("2025-06-02T08:00:00+24:00", TestName = "offset hour 24")]
    [TestCase("2025-06-0208:00:00Z", TestName = "missing T")]
    [TestCase("2025-02-29T08:00:00Z", TestName = "no leap day in 2025")]
    [TestCase("2025-06-02T24:00:00Z", TestName = "hour 24")]
    [TestCase("2025-06-02T08:00:60Z", TestName = "leap second not at 23:59 UTC")]
    [TestCase("2016-12-31T23:59:60+01:00", TestName = "leap second at 22:59 UTC")]
    [TestCase("２025-06-02T08:00:00Z", TestName = "non-ASCII digit")]
    [TestCase(" 2025-06-02T08:00:00Z", TestName = "leading space")]
    public void Date_time_refused(string timestamp)
    {
        Assert.That(Timestamp(timestamp), Is.EqualTo(new SchemaViolation(OcppErrorCode.PropertyConstraintViolation, "/timestamp: Value does not match format \"date-time\"")));
        Assert.That(Oracle.Validate("ocpp16/StartTransaction", StartTransaction(timestamp)), Is.EqualTo(Timestamp(timestamp)), "as JsonSchema.Net");
    }

    [Test]
    public void Date_time_with_a_trailing_newline_is_refused_unlike_JsonSchema_Net()
    {
        // JsonSchema.Net's pattern ends in `$`, which in .NET also matches before a final "\n"; RFC 3339 has no such thing.
        Assert.That(Timestamp("2025-06-02T08:00:00Z\n")?.ErrorCode, Is.EqualTo(OcppErrorCode.PropertyConstraintViolation));
        Assert.That(Oracle.Validate("ocpp16/StartTransaction", StartTransaction("2025-06-02T08:00:00Z\n")), Is.Null, "JsonSchema.Net accepted it");
    }

    [Test]
    public void Year_0000_is_a_date_unlike_for_JsonSchema_Net()
    {
        // RFC 3339's date-fullyear is any 4 digits; JsonSchema.Net threw ArgumentOutOfRangeException (DateTime.DaysInMonth).
        Assert.That(Timestamp("0000-02-29T00:00:00Z"), Is.Null, "0000 is a leap year in the proleptic Gregorian calendar");
        Assert.Throws<ArgumentOutOfRangeException>(() => Oracle.Validate("ocpp16/StartTransaction", StartTransaction("0000-01-01T00:00:00Z")));
    }

    [Test]
    public void Escaped_date_time_is_read_as_its_characters() =>
        Assert.That(Validator.ValidateRequest("StartTransaction", Json("""{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2025-06-02T08:00:00\u005A"}""")), Is.Null);

    // Lengths count text elements (what a reader sees as one character), as JsonSchema.Net did.
    [TestCase("12345678901234567890", true, TestName = "20 ASCII characters")]
    [TestCase("123456789012345678901", false, TestName = "21 ASCII characters")]
    [TestCase("1234567890123456789é", true, TestName = "é is 2 bytes of UTF-8, 1 character")]
    [TestCase("1234567890123456789e\u0301", true, TestName = "e + combining accent is 1 character")]
    [TestCase("1234567890123456789😀", true, TestName = "a surrogate pair is 1 character")]
    [TestCase("1234567890123456789🇩🇪", true, TestName = "a flag of two code points is 1 character")]
    [TestCase("1234567890123456789\r\n", true, TestName = "CR LF is 1 character")]
    [TestCase("12345678901234567890é", false, TestName = "21 characters with é")]
    public void String_length_counts_text_elements(string idTag, bool valid)
    {
        foreach (var encoder in new[] { System.Text.Encodings.Web.JavaScriptEncoder.Default, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
        {
            var payload = JsonSerializer.SerializeToElement(new { idTag }, new JsonSerializerOptions { Encoder = encoder });
            Assert.That(Validator.ValidateRequest("Authorize", Json(payload.GetRawText())) is null, Is.EqualTo(valid), payload.GetRawText());
        }

        Assert.That(Oracle.Validate("ocpp16/Authorize", JsonSerializer.SerializeToElement(new { idTag })) is null, Is.EqualTo(valid), "as JsonSchema.Net");
    }

    // JSON Schema compares numbers exactly, as written, not as doubles.
    [TestCase("2147483647.00000000000000000001", false, TestName = "just above the maximum")]
    [TestCase("2147483647.0", true, TestName = "the maximum with a fraction digit")]
    [TestCase("0.99999999999999999999999999999", false, TestName = "just below the minimum")]
    [TestCase("1e0", true, TestName = "exponent form")]
    [TestCase("1e400", false, TestName = "beyond double")]
    [TestCase("2147483648e0", false, TestName = "above the maximum in exponent form")]
    public void Numbers_are_compared_exactly(string connectorId, bool valid)
    {
        string document = $$"""{"connectorId":{{connectorId}},"vin":"x"}""";
        Assert.That(Validator.ValidateVendor("VehicleIdentification", Json(document)) is null, Is.EqualTo(valid));
        Assert.That(Oracle.Validate("vendor/VehicleIdentification", Json(document)) is null, Is.EqualTo(valid), "as JsonSchema.Net");
    }

    [TestCase("10.3", true)]
    [TestCase("10.30000", true)]
    [TestCase("103e-1", true)]
    [TestCase("-7.7", true)]
    [TestCase("0", true)]
    [TestCase("1e300", true)]
    [TestCase("10.05", false)]
    [TestCase("0.30000000000000004", false, TestName = "no rounding to double")]
    [TestCase("1e-30", false)]
    public void MultipleOf_is_exact(string number, bool multipleOfATenth)
    {
        var raw = Encoding.UTF8.GetBytes(number);
        Assert.That(ExactNumber.Parse(raw, new byte[raw.Length]).IsMultipleOf(1, -1), Is.EqualTo(multipleOfATenth));
    }

    private static SchemaViolation? Timestamp(string timestamp) => Validator.ValidateRequest("StartTransaction", StartTransaction(timestamp));

    private static JsonElement StartTransaction(string timestamp) =>
        JsonSerializer.SerializeToElement(new { connectorId = 1, idTag = "T", meterStart = 0, timestamp });

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
