using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>Random documents that a schema accepts (mostly: the oracle has the last word), built from the schema itself.</summary>
internal sealed class PayloadGenerator(JsonElement root, Random random)
{
    // Pieces of strings: ASCII, escapes, non-ASCII, a combining accent, surrogate pairs, a flag, CR LF (one text element).
    private static readonly string[] Pieces = ["a", "Z", "7", " ", "-", "\"", "\\", "/", "é", "e\u0301", "😀", "🇩🇪", "👍🏽", "\r\n", "\t", "漢", "ü", "~"];

    public static readonly string[] ValidDateTimes =
    [
        "2025-06-02T08:00:00Z", "2025-06-02T08:00:00.000Z", "2025-06-02t08:00:00z", "2025-06-02 08:00:00Z", "2025-06-02_08:00:00Z",
        "2025-06-02T08:00:00.123456789+02:00", "2025-06-02T08:00:00-00:00", "2024-02-29T23:59:59+23:59", "2016-12-31T23:59:60Z",
        "2016-12-31T22:59:60-01:00", "2017-01-01T00:59:60+01:00", "1970-01-01T00:00:00.5Z", "9999-12-31T23:59:59.999Z",
    ];

    public static readonly string[] InvalidDateTimes =
    [
        "yesterday", "", "2025-06-02", "2025-06-02T08:00:00", "2025-06-02T08:00Z", "2025-06-02T08:00:00.Z", "2025-06-02T08:00:00+0200",
        "2025-06-02T08:00:00+24:00", "2025-06-02T08:00:00+02:60", "2025-13-02T08:00:00Z", "2025-00-02T08:00:00Z", "2025-02-29T08:00:00Z",
        "2025-04-31T08:00:00Z", "2025-06-00T08:00:00Z", "2025-06-02T24:00:00Z", "2025-06-02T08:60:00Z", "2025-06-02T08:00:61Z",
        "2025-06-02T08:00:60Z", "2016-12-31T23:59:60+01:00", " 2025-06-02T08:00:00Z", "2025-06-02T08:00:00Z ", "2025-06-02T08:00:00ZZ",
        "2025-6-02T08:00:00Z", "２025-06-02T08:00:00Z", "2025-06-02X08:00:00Z", "2025-06-02T08:00:00.1.2Z", "+2025-06-02T08:00:00Z",
        "2025-06-02T08:00:00\r\n", "2025-06-02T08:00:00,5Z", "2025-06-02T8:00:00Z",
    ];

    public static readonly string[] Uris =
    [
        "ftp://user:secret@diagnostics.example.com/upload", "https://example.com/firmware/1.2.3.bin", "http://[::1]:8080/x",
        "file:///tmp/diagnostics", "urn:isbn:0451450523", "mailto:ops@example.com", "example.com/firmware.bin", "/relative/path",
        "not a uri", "http://exa mple.com/", "https://例え.jp/", "http://user[x]@example.com/", "http://example.com/a{b}", "",
        "https://example.com/?q=\"x\"", "c:\\firmware.bin",
    ];

    public JsonNode? Valid(JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("enum", out var values))
        {
            return JsonValue.Create(values[random.Next(values.GetArrayLength())].GetString());
        }

        return schema.TryGetProperty("type", out var type) ? type.GetString() switch
        {
            "object" => Object(schema),
            "array" => Array(schema),
            "string" => JsonValue.Create(String(schema)),
            "integer" => Integer(schema),
            "number" => Number(schema),
            "boolean" => JsonValue.Create(random.Next(2) == 0),
            _ => null,
        } : JsonValue.Create("untyped");
    }

    public JsonElement Resolve(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? Resolve(root.GetProperty("definitions").GetProperty(reference.GetString()!["#/definitions/".Length..]))
            : schema;

    private JsonObject Object(JsonElement schema)
    {
        var result = new JsonObject();
        string[] required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject().OrderBy(_ => random.Next()))
            {
                if (required.Contains(property.Name) || random.Next(3) > 0)
                {
                    result[property.Name] = Valid(property.Value);
                }
            }
        }

        return result;
    }

    private JsonArray Array(JsonElement schema)
    {
        int min = schema.TryGetProperty("minItems", out var m) ? m.GetInt32() : 0;
        var result = new JsonArray();
        for (int i = min + random.Next(3); i > 0; i--)
        {
            result.Add(schema.TryGetProperty("items", out var items) ? Valid(items) : JsonValue.Create(i));
        }

        return result;
    }

    public string String(JsonElement schema)
    {
        if (schema.TryGetProperty("format", out var format))
        {
            return format.GetString() == "date-time" ? DateTime() : Uris[random.Next(4)];
        }

        int max = schema.TryGetProperty("maxLength", out var m) ? m.GetInt32() : 30;
        int min = schema.TryGetProperty("minLength", out var n) ? n.GetInt32() : 0;
        int length = random.Next(4) == 0 ? max : random.Next(min, Math.Min(max, 40) + 1);
        return Text(length);
    }

    /// <summary>About <paramref name="length"/> text elements (pieces may merge, the oracle decides).</summary>
    public string Text(int length)
    {
        bool ascii = random.Next(2) == 0;
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < length; i++)
        {
            text.Append(ascii ? (char)('a' + random.Next(26)) : Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }

    private string DateTime()
    {
        if (random.Next(3) == 0)
        {
            return ValidDateTimes[random.Next(ValidDateTimes.Length)];
        }

        var time = new DateTime(2000, 1, 1).AddSeconds(random.NextDouble() * 40 * 365 * 86400);
        string fraction = random.Next(2) == 0 ? "" : "." + random.Next(1_000_000_000).ToString("D9", CultureInfo.InvariantCulture)[..(1 + random.Next(9))];
        string offset = random.Next(3) == 0 ? $"{(random.Next(2) == 0 ? '+' : '-')}{random.Next(24):00}:{random.Next(60):00}" : "Z";
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + offset;
    }

    private JsonNode Integer(JsonElement schema)
    {
        long min = schema.TryGetProperty("minimum", out var lo) ? lo.GetInt64() : -1000;
        long max = schema.TryGetProperty("maximum", out var hi) ? hi.GetInt64() : 100_000;
        long value = random.Next(5) switch
        {
            0 => min,
            1 => Math.Min(max, min + 1),
            2 => max == 100_000 ? int.MaxValue : max,
            _ => min + (long)(random.NextDouble() * (max - min)),
        };

        // Draft-07 integers may be written with a fraction or an exponent.
        return random.Next(8) switch
        {
            0 => JsonNode.Parse($"{value}.0")!,
            1 when value != 0 => JsonNode.Parse($"{value}e0")!,
            _ => JsonValue.Create(value),
        };
    }

    private JsonNode Number(JsonElement schema)
    {
        bool tenths = schema.TryGetProperty("multipleOf", out _);
        int units = random.Next(-50, 50_000);
        return random.Next(6) switch
        {
            0 => JsonNode.Parse($"{units / 10}.{Math.Abs(units % 10)}0")!,
            1 => JsonNode.Parse($"{units}e-1")!,
            _ when tenths => JsonNode.Parse((units / 10m).ToString(CultureInfo.InvariantCulture))!,
            _ => JsonNode.Parse((units / 1000m).ToString(CultureInfo.InvariantCulture))!,
        };
    }
}
