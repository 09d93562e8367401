using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>Breaks a valid document in the ways charge points get payloads wrong, at any depth.</summary>
internal sealed class PayloadMutator(PayloadGenerator generator, JsonElement rootSchema, Random random)
{
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] OtherValues =
        ["\"x\"", "\"1\"", "42", "0", "-1", "1.5", "1.0", "1e2", "-0", "2147483648", "1e400", "-1e-400", "0.1e1", "true", "false", "null", "{}", "[]", "[1]", "{\"a\":1}"];

    private static readonly string[] Numbers =
        ["-1", "-0.5", "-1e-400", "0", "-0.0", "0.0000000000000000000000000000001", "1.00000000000000000000000000001", "2147483647", "2147483648",
         "2147483647.0000000000000000001", "9223372036854775808", "1e29", "10.05", "0.30000000000000004", "1e-30", "7.7", "100.10", "-3.3", "1E+1"];

    private sealed record Site(JsonNode? Parent, string? Key, int Index, JsonNode? Value, JsonElement Schema);

    /// <summary>One to three mutations, then written with or without escapes, sometimes with a text-level twist.</summary>
    public string Mutate(JsonNode? document)
    {
        for (int i = 1 + (random.Next(3) == 0 ? random.Next(1, 3) : 0); i > 0; i--)
        {
            document = MutateOnce(document);
        }

        string text = Write(document);
        return random.Next(6) == 0 ? TextLevel(text) : text;
    }

    public string Write(JsonNode? document) =>
        document is null ? "null" : document.ToJsonString(random.Next(2) == 0 ? Unescaped : JsonSerializerOptions.Default);

    private JsonNode? MutateOnce(JsonNode? document)
    {
        var sites = new List<Site>();
        Collect(document, rootSchema, null, null, -1, sites);
        var site = sites[random.Next(sites.Count)];
        var mutations = Mutations(site).ToList();
        var replacement = mutations[random.Next(mutations.Count)]();
        switch (site.Parent)
        {
            case null:
                return replacement;
            case JsonObject parent:
                parent[site.Key!] = replacement;
                break;
            default:
                ((JsonArray)site.Parent)[site.Index] = replacement;
                break;
        }

        return document;
    }

    /// <summary>The ways to replace the value at <paramref name="site"/> that make sense for it.</summary>
    private IEnumerable<Func<JsonNode?>> Mutations(Site site)
    {
        var schema = site.Schema;
        yield return () => JsonNode.Parse(OtherValues[random.Next(OtherValues.Length)]);
        if (site.Value is JsonObject obj)
        {
            string[] required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
            var present = obj.Select(p => p.Key).ToArray();
            if (present.Length > 0)
            {
                yield return () => Without(obj, present.Intersect(required).DefaultIfEmpty(present[0]).ElementAt(0));
            }

            string[] names = ["extra", "a/b~c", "é", "", "connectorid", "VALUE"];
            yield return () =>
            {
                var copy = (JsonObject)obj.DeepClone();
                copy[names[random.Next(names.Length)]] = JsonNode.Parse(OtherValues[random.Next(OtherValues.Length)]);
                return copy;
            };
        }

        if (site.Value is JsonArray array)
        {
            yield return () => new JsonArray();
            yield return () => new JsonArray([.. array.Select(x => x?.DeepClone()), JsonNode.Parse(OtherValues[random.Next(OtherValues.Length)])]);
        }

        if (schema.TryGetProperty("maxLength", out var max))
        {
            yield return () => JsonValue.Create(generator.Text(max.GetInt32() + random.Next(-1, 3)));
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            string value = values[random.Next(values.GetArrayLength())].GetString()!;
            string[] wrong = [value.ToLowerInvariant(), value + " ", "", "Unknown", value[..^1]];
            yield return () => JsonValue.Create(wrong[random.Next(wrong.Length)]);
        }

        if (schema.TryGetProperty("format", out var format))
        {
            string[] candidates = format.GetString() == "date-time" ? PayloadGenerator.InvalidDateTimes : PayloadGenerator.Uris;
            yield return () => JsonValue.Create(candidates[random.Next(candidates.Length)]);
        }

        if (schema.TryGetProperty("type", out var type) && type.GetString() is "integer" or "number")
        {
            yield return () => JsonNode.Parse(Numbers[random.Next(Numbers.Length)]);
        }
    }

    private static JsonObject Without(JsonObject obj, string name)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove(name);
        return copy;
    }

    private void Collect(JsonNode? node, JsonElement schema, JsonNode? parent, string? key, int index, List<Site> sites)
    {
        schema = generator.Resolve(schema);
        sites.Add(new Site(parent, key, index, node, schema));
        if (node is JsonObject obj && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var (name, value) in obj.ToList())
            {
                if (properties.TryGetProperty(name, out var propertySchema))
                {
                    Collect(value, propertySchema, obj, name, -1, sites);
                }
            }
        }
        else if (node is JsonArray array && schema.TryGetProperty("items", out var items))
        {
            for (int i = 0; i < array.Count; i++)
            {
                Collect(array[i], items, array, null, i, sites);
            }
        }
    }

    // What a tree of JsonNodes cannot hold: a repeated property name, an escaped property name.
    private string TextLevel(string text)
    {
        if (!text.StartsWith('{') || text.Length < 3)
        {
            return text;
        }

        using var document = JsonDocument.Parse(text);
        var first = document.RootElement.EnumerateObject().FirstOrDefault();
        if (first.Value.ValueKind == JsonValueKind.Undefined)
        {
            return text;
        }

        string name = first.Name;
        return random.Next(3) switch
        {
            0 => $"{{\"{name}\":{OtherValues[random.Next(OtherValues.Length)]},{text[1..]}",
            1 => $"{text[..^1]},\"{name}\":{OtherValues[random.Next(OtherValues.Length)]}}}",
            _ when name.Length > 0 && name.All(char.IsAsciiLetterOrDigit) => $"{{\"\\u{(int)name[0]:x4}{name[1..]}\"{text[(name.Length + 3)..]}",
            _ => text,
        };
    }
}
