using System.Text.Json;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>The schema compiler implements exactly the keywords our schemas use and refuses anything else at start-up.</summary>
public sealed class SchemaCompilerTests
{
    [Test]
    public void Our_schemas_use_exactly_the_supported_keywords()
    {
        var keywords = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string schema in SchemaResources.All.Values)
        {
            using var document = JsonDocument.Parse(schema);
            CollectKeywords(document.RootElement, keywords);
        }

        Assert.That(keywords, Is.EquivalentTo(new[]
        {
            "$id", "$ref", "$schema", "additionalProperties", "definitions", "description", "enum", "format", "items", "maxLength",
            "maximum", "minItems", "minLength", "minimum", "multipleOf", "properties", "required", "title", "type",
        }));
        Assert.That(SchemaResources.All, Has.Count.EqualTo(81), "56 OCPP 1.6 schemas, 22 of the security whitepaper and 3 vendor documents");
    }

    [Test]
    public void Every_embedded_schema_compiles() =>
        Assert.That(() => SchemaResources.All.Select(s => SchemaCompiler.Compile(s.Key, s.Value)).ToList(), Throws.Nothing);

    [TestCase("""{"type":"string","pattern":"^a"}""", "#/pattern", TestName = "unknown keyword: pattern")]
    [TestCase("""{"type":"object","properties":{"a":{"type":"string","const":"x"}}}""", "#/properties/a/const", TestName = "unknown keyword nested: const")]
    [TestCase("""{"type":"array","maxItems":3}""", "#/maxItems", TestName = "unknown keyword: maxItems")]
    [TestCase("""{"type":["string","null"]}""", "#/type", TestName = "type list")]
    [TestCase("""{"type":"float"}""", "#/type", TestName = "unknown type name")]
    [TestCase("""{"enum":["a",1]}""", "#/enum", TestName = "enum with a number")]
    [TestCase("""{"type":"string","format":"email"}""", "#/format", TestName = "unsupported format")]
    [TestCase("""{"type":"object","additionalProperties":{"type":"string"}}""", "#/additionalProperties", TestName = "additionalProperties schema")]
    [TestCase("""{"type":"array","items":[{"type":"string"}]}""", "#/items", TestName = "tuple items")]
    [TestCase("""{"type":"object","required":["a"],"properties":{}}""", "#/required", TestName = "required but not a property")]
    [TestCase("""{"$ref":"#/definitions/Missing"}""", "#/$ref", TestName = "$ref to a missing definition")]
    [TestCase("""{"$ref":"other.json#/definitions/A","definitions":{"A":{}}}""", "#/$ref", TestName = "$ref to another document")]
    [TestCase("""{"type":"object","properties":{"a":{"$ref":"#/definitions/A","maxLength":3}},"definitions":{"A":{}}}""", "#/properties/a", TestName = "$ref with a sibling")]
    [TestCase("""{"$schema":"http://json-schema.org/draft-04/schema#","type":"object"}""", "#/$schema", TestName = "another draft")]
    [TestCase("""{"type":"number","multipleOf":0}""", "#/multipleOf", TestName = "multipleOf zero")]
    [TestCase("""{"type":"object","properties":{"a":{"type":"object","definitions":{}}}}""", "#/properties/a/definitions", TestName = "definitions below the root")]
    [TestCase("""{"type":"object","properties":{"a":true}}""", "#/properties/a", TestName = "boolean subschema")]
    public void Unsupported_schema_fails_loudly(string schema, string location)
    {
        var error = Assert.Throws<SchemaCompilationException>(() => SchemaCompiler.Compile("test/Sample", schema));
        Assert.That(error!.Message, Does.StartWith($"Schema test/Sample at {location}:"));
    }

    [Test]
    public void Recursive_definitions_compile()
    {
        var node = SchemaCompiler.Compile("test/Tree", """
            {"$ref":"#/definitions/Node","definitions":{"Node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/definitions/Node"}}},"additionalProperties":false}}}
            """);

        using var valid = JsonDocument.Parse("""{"children":[{"children":[]},{}]}""");
        using var invalid = JsonDocument.Parse("""{"children":[{"children":[{"x":1}]}]}""");
        Assert.That((node.IsValid(valid.RootElement), node.IsValid(invalid.RootElement)), Is.EqualTo((true, false)));
    }

    private static void CollectKeywords(JsonElement schema, ISet<string> keywords)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            keywords.Add(keyword.Name);
            if (keyword.Name is "properties" or "definitions")
            {
                foreach (var child in keyword.Value.EnumerateObject())
                {
                    CollectKeywords(child.Value, keywords);
                }
            }
            else if (keyword.Name == "items")
            {
                CollectKeywords(keyword.Value, keywords);
            }
        }
    }
}
