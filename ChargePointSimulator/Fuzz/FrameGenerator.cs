using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace ChargePointSimulator.Fuzz;

/// <summary>
/// A seeded generator of mutated OCPP-J 1.6 frames: each starts as a valid CALL of one of the ten charge point actions
/// with a realistic payload, gets a mutation of one category (and sometimes one or two more of others), and carries the
/// outcome the server owes it, worked out by <see cref="FuzzOracle"/> from how it was built. The same seed gives the
/// same cases, byte for byte, so a failing case can be regenerated from its seed and index.
/// </summary>
public sealed class FrameGenerator
{
    /// <summary>Longest UniqueId OCPP-J 1.6 allows (§4.1.4, "to allow for GUIDs"), counted in UTF-16 code units.</summary>
    public const int MaxUniqueIdLength = 36;

    /// <summary>
    /// Deepest nesting the server parses (Ocpp frame parser; OCPP 1.6 payloads nest at most five levels). Nesting is
    /// generated either at most <see cref="ShallowNesting"/> deep in all or beyond 40, never near the limit.
    /// </summary>
    public const int ParserMaxDepth = 32;

    /// <summary>Nesting beyond which the server can no longer skip a first element to read the id after it (never generated near it).</summary>
    public const int HeadMaxDepth = 1024;

    private const int ShallowNesting = 16;

    private static readonly string[] AllCategories =
    [
        "valid", "wrong-type", "missing-field", "extra-field", "long-string", "bad-enum", "bad-timestamp", "huge-number",
        "fractional-number", "lone-surrogate", "odd-unicode", "deep-nesting", "truncated", "invalid-utf8", "invalid-json",
        "wrong-message-type", "empty-id", "long-id", "non-string-id", "duplicate-id", "non-array", "bad-structure",
        "bad-action", "binary", "oversized", "unsolicited-answer", "beyond-discard-limit",
    ];

    /// <summary>Categories that may be added on top of the first one.</summary>
    private static readonly string[] ExtraCategories =
    [
        "wrong-type", "missing-field", "extra-field", "long-string", "bad-enum", "bad-timestamp", "huge-number", "fractional-number",
        "lone-surrogate", "odd-unicode", "deep-nesting", "truncated", "invalid-json", "wrong-message-type", "empty-id", "long-id",
        "non-string-id", "duplicate-id", "bad-structure", "bad-action", "binary", "whitespace",
    ];

    private static readonly string[] LoneSurrogates =
        ["\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uDC00\uD800", "\uD83D", "\uDE00", "\uD83D\uD83D\uDE00", "\uDE00\uD83D", "\uD83Dx"];

    private static readonly string[] OddUnicode =
    [
        "é", "ü", "ß", "中文", "日本語", "한국어", "Ω", "😀", "\U0001F469\u200D\U0001F4BB", "🇩🇪", "e\u0301", "\u200B", "\u202E", "\uFEFF", "\uFFFD", "\uFFFF",
        "\uFFFE", "\uDBFF\uDFFF", "\uD834\uDD1E", "\u0000", "\u0001", "\u001F", "\u007F", "\u0085", "\u2028", "\u2029", "\u00A0",
        "\u3000", "\uFDFA", "\\", "\"", "/", "\t\r\n",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0xC0, 0x80], [0xC1, 0xBF], [0x80], [0xBF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE0, 0x80, 0x80], [0xF0, 0x80, 0x80, 0x80], [0xC2], [0xF0, 0x9F, 0x98],
    ];

    private readonly Random _random;
    private readonly FuzzLimits _limits;
    private readonly string[] _categories;
    private int _index;
    private string? _previousId;

    public FrameGenerator(int seed, FuzzLimits? limits = null)
    {
        _random = new Random(seed);
        _limits = limits ?? new FuzzLimits();
        _categories = _limits.BeyondDiscardLimit ? AllCategories : AllCategories[..^1];
    }

    /// <summary>The categories this generator draws from (every one is drawn about equally often, but see <see cref="Weight"/>).</summary>
    public IReadOnlyList<string> Categories => _categories;

    public FuzzCase Next()
    {
        int index = _index++;
        while (true)
        {
            string category = PickCategory();
            var draft = NewDraft(index);
            if (!Apply(category, draft))
            {
                continue; // e.g. a bad enumeration for an action without one: draw again
            }

            if (category is not ("non-array" or "beyond-discard-limit") && _random.Next(10) < 3)
            {
                for (int extras = _random.Next(1, 3); extras > 0; extras--)
                {
                    Apply(ExtraCategories[_random.Next(ExtraCategories.Length)], draft);
                }
            }

            var fuzzCase = Finish(index, category, draft);
            if (draft.Frame.Elements.Count > 1 && draft.Frame.Elements[1] is FuzzValue { Kind: FuzzKind.String } id)
            {
                _previousId = id.StringValue;
            }

            return fuzzCase;
        }
    }

    /// <summary>Relative frequency: the rare, costly frames (a closed connection, a megabyte) are drawn less often.</summary>
    private static int Weight(string category) => category switch
    {
        "beyond-discard-limit" => 1,
        "invalid-utf8" or "oversized" => 20,
        _ => 40,
    };

    private string PickCategory()
    {
        int total = _categories.Sum(Weight);
        int pick = _random.Next(total);
        foreach (string category in _categories)
        {
            pick -= Weight(category);
            if (pick < 0)
            {
                return category;
            }
        }

        return _categories[^1];
    }

    private Draft NewDraft(int index)
    {
        string action = ValidPayloads.Actions[_random.Next(ValidPayloads.Actions.Length)];
        string id = _random.Next(4) switch
        {
            0 => NewGuid(), // exactly 36 characters: the longest id allowed
            1 => $"f-{index}",
            2 => index.ToString(CultureInfo.InvariantCulture),
            _ => $"{action[..3].ToLowerInvariant()}.{index:x}.{_random.Next(1000)}",
        };
        var frame = FuzzFrame.Call(FuzzValue.Integer(2), FuzzValue.String(id, _random), FuzzValue.String(action, _random),
            ValidPayloads.Create(action, _random));
        return new Draft(action, frame) { Index = index };
    }

    private string NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }

    private bool Apply(string category, Draft draft)
    {
        bool applied = category switch
        {
            "valid" => Valid(draft),
            "wrong-type" => WrongType(draft),
            "missing-field" => MissingField(draft),
            "extra-field" => ExtraField(draft),
            "long-string" => LongString(draft),
            "bad-enum" => BadEnum(draft),
            "bad-timestamp" => BadTimestamp(draft),
            "huge-number" => HugeNumber(draft),
            "fractional-number" => FractionalNumber(draft),
            "lone-surrogate" => LoneSurrogate(draft),
            "odd-unicode" => OddText(draft),
            "deep-nesting" => DeepNesting(draft),
            "truncated" => Truncated(draft),
            "invalid-utf8" => InvalidUtf8Bytes(draft),
            "invalid-json" => InvalidJson(draft),
            "wrong-message-type" => WrongMessageType(draft),
            "empty-id" => SetId(draft, FuzzValue.String(""), "empty id"),
            "long-id" => LongId(draft),
            "non-string-id" => NonStringId(draft),
            "duplicate-id" => DuplicateId(draft),
            "non-array" => NonArray(draft),
            "bad-structure" => BadStructure(draft),
            "bad-action" => BadAction(draft),
            "binary" => Binary(draft),
            "oversized" => Oversized(draft),
            "unsolicited-answer" => UnsolicitedAnswer(draft),
            "beyond-discard-limit" => BeyondDiscardLimit(draft),
            "whitespace" => Whitespace(draft),
            _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
        };
        return applied;
    }

    // ---- payload mutations -------------------------------------------------------------------------------------

    private bool Valid(Draft draft)
    {
        if (_random.Next(2) == 0)
        {
            Whitespace(draft);
        }

        draft.Note("valid");
        return true;
    }

    private bool WrongType(Draft draft)
    {
        if (PickSlot(draft, _ => true) is not { } slot)
        {
            return false;
        }

        var old = slot.Value;
        FuzzNode replacement;
        do
        {
            replacement = _random.Next(9) switch
            {
                0 => FuzzValue.Integer(_random.Next(-5, 100_000)),
                1 => FuzzValue.Number("1.5"),
                2 => FuzzValue.String(old is FuzzValue { Kind: FuzzKind.Number } n ? n.Text : "12", _random),
                3 => FuzzValue.Literal("true"),
                4 => FuzzValue.Literal("false"),
                5 => FuzzValue.Literal("null"),
                6 => new FuzzObject(),
                7 => new FuzzArray(),
                _ => new FuzzArray(old.Clone()),
            };
        }
        while (replacement.Kind == old.Kind && !(old is FuzzValue { Kind: FuzzKind.Literal }));

        slot.Value = replacement;
        return draft.Payload($"wrong-type {slot.Path}: {old.Kind} -> {Short(replacement)}");
    }

    private bool MissingField(Draft draft)
    {
        var objects = PayloadObjects(draft).Where(o => o.Node.Properties.Count > 0).ToList();
        if (objects.Count == 0)
        {
            return false;
        }

        var (target, path) = objects[_random.Next(objects.Count)];
        switch (_random.Next(6))
        {
            case 0:
                target.Properties.Clear();
                return draft.Payload($"missing-field {path}: all properties removed");
            case 1 when target.Properties.FirstOrDefault(p => p.Value is FuzzArray { Items.Count: > 0 }) is { } list:
                ((FuzzArray)list.Value).Items.Clear();
                return draft.Payload($"missing-field {path}/{list.Name.StringValue}: emptied");
            default:
                int at = _random.Next(target.Properties.Count);
                string? name = target.Properties[at].Name.StringValue;
                target.Properties.RemoveAt(at);
                return draft.Payload($"missing-field {path}/{name}");
        }
    }

    private bool ExtraField(Draft draft)
    {
        var objects = PayloadObjects(draft).ToList();
        if (objects.Count == 0)
        {
            return false;
        }

        var (target, path) = objects[_random.Next(3) == 0 ? _random.Next(objects.Count) : 0];
        FuzzValue name;
        if (target.Properties.Count > 0 && _random.Next(4) == 0)
        {
            var existing = target.Properties[_random.Next(target.Properties.Count)];
            name = existing.Name;
            target.Properties.Insert(_random.Next(target.Properties.Count + 1), new FuzzProperty(name, _random.Next(2) == 0 ? existing.Value.Clone() : RandomValue()));
            return draft.Payload($"extra-field {path}: duplicate name {Short(name)}");
        }

        string[] names = ["surprise", "connectorID", "IdTag", "", " ", "__proto__", "constructor", "$schema", "toString", "a.b", "données", "🔋", "x\u0000y", new('k', 300)];
        name = FuzzValue.String(names[_random.Next(names.Length)], _random, FuzzField.None);
        target.Properties.Insert(_random.Next(target.Properties.Count + 1), new FuzzProperty(name, RandomValue()));
        return draft.Payload($"extra-field {path}: {Short(name)}");
    }

    private bool LongString(Draft draft)
    {
        if (PickSlot(draft, v => v is FuzzValue { Kind: FuzzKind.String }) is not { } slot)
        {
            return false;
        }

        var old = (FuzzValue)slot.Value;
        int length = old.MaxLength is { } max && _random.Next(3) > 0
            ? max + (_random.Next(4) == 0 ? 0 : _random.Next(1, 50))
            : _random.Next(500, 20_000);
        string text = RandomText(length, multibyte: _random.Next(3) == 0);
        slot.Value = FuzzValue.String(text, _random, old.Field, old.MaxLength);
        return draft.Payload($"long-string {slot.Path}: {text.Length} UTF-16 units (max {old.MaxLength?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
    }

    private bool BadEnum(Draft draft)
    {
        if (PickSlot(draft, v => v is FuzzValue { Field: FuzzField.Enumeration }) is not { } slot)
        {
            return false;
        }

        string value = ((FuzzValue)slot.Value).StringValue ?? "";
        string bad = _random.Next(12) switch
        {
            0 => value.ToLowerInvariant(),
            1 => value.ToUpperInvariant(),
            2 => value + " ",
            3 => " " + value,
            4 => value.Length > 1 ? value[..^1] : "",
            5 => value + "x",
            6 => "",
            7 => "Accepted",
            8 => "Unknown",
            9 => value.Replace('a', '\u0430').Replace('o', '\u03BF'), // Cyrillic a, Greek omicron
            10 => value.Length > 1 ? value.Insert(1, "\u200B") : "\u200B",
            _ => RandomText(_random.Next(30, 300), multibyte: false),
        };
        slot.Value = FuzzValue.String(bad, _random, FuzzField.Enumeration);
        return draft.Payload($"bad-enum {slot.Path}: {FuzzText.Shown(bad, 40)}");
    }

    private bool BadTimestamp(Draft draft)
    {
        if (PickSlot(draft, v => v is FuzzValue { Field: FuzzField.Timestamp }) is not { } slot)
        {
            return false;
        }

        string[] bad =
        [
            "2024-13-01T00:00:00Z", "2024-02-30T10:00:00Z", "2024-01-01T25:00:00Z", "2024-01-01T00:00:60Z", "2024-01-01",
            "2024-01-01T00:00:00", "yesterday", "", "0000-00-00T00:00:00Z", "+275760-09-13T00:00:00Z", "2024-01-01T00:00:00.123456789012Z",
            "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+25:00", "1700000000", "2024-W01-1", "２０２４-01-01T00:00:00Z",
        ];
        FuzzNode value = _random.Next(8) == 0 ? FuzzValue.Integer(1_700_000_000) : FuzzValue.String(bad[_random.Next(bad.Length)], _random, FuzzField.Timestamp);
        slot.Value = value;
        return draft.Payload($"bad-timestamp {slot.Path}: {Short(value)}");
    }

    private bool HugeNumber(Draft draft)
    {
        if (PickSlot(draft, v => v is FuzzValue { Field: FuzzField.Integer }) is not { } slot)
        {
            return false;
        }

        string[] huge =
        [
            "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "1e400", "-1e400", "1.7976931348623157e308", "1e308", "4.9e-324", "9007199254740993", "123456789012345678901234567890",
            "1E+999999999", "1" + new string('0', 400),
        ];
        string text = _random.Next(10) == 0 ? RandomDigits(_random.Next(50, 5000)) : huge[_random.Next(huge.Length)];
        slot.Value = _random.Next(10) == 0 ? FuzzValue.Integer(int.MaxValue) : FuzzValue.Number(text, FuzzField.Integer);
        return draft.Payload($"huge-number {slot.Path}: {Short(slot.Value)}");
    }

    private bool FractionalNumber(Draft draft)
    {
        if (PickSlot(draft, v => v is FuzzValue { Field: FuzzField.Integer }) is not { } slot)
        {
            return false;
        }

        string[] fractions =
        [
            "1.5", "0.5", "-0.5", "1.0", "0.0", "-0.0", "1e-7", "2.5e3", "1E2", "1e0", "0.1e1", "3.14159265358979323846264338327950288",
            "1.00000000000000000001", "0.999999999999999999999", "-1.5e-300",
        ];
        slot.Value = FuzzValue.Number(fractions[_random.Next(fractions.Length)], FuzzField.Integer);
        return draft.Payload($"fractional-number {slot.Path}: {Short(slot.Value)}");
    }

    private bool LoneSurrogate(Draft draft)
    {
        string surrogate = LoneSurrogates[_random.Next(LoneSurrogates.Length)];
        switch (_random.Next(10))
        {
            case < 5:
                return InsertIntoText(draft, surrogate, "lone-surrogate");
            case < 7:
                return AddOddName(draft, surrogate, "lone-surrogate");
            case < 9:
                return SetId(draft, FuzzValue.String(InsertAt(IdText(draft) ?? "s", surrogate), _random), $"lone-surrogate in id {FuzzText.Shown(surrogate)}");
            default:
                return SetAction(draft, InsertAt(draft.Action, surrogate), $"lone-surrogate in action {FuzzText.Shown(surrogate)}");
        }
    }

    private bool OddText(Draft draft)
    {
        string odd = OddUnicode[_random.Next(OddUnicode.Length)];
        switch (_random.Next(20))
        {
            case < 10:
                return InsertIntoText(draft, odd, "odd-unicode");
            case < 13:
                return AddOddName(draft, odd, "odd-unicode");
            case < 17:
                string id = InsertAt(IdText(draft) is { Length: <= 24 } current ? current : "u", odd);
                return SetId(draft, FuzzValue.String(id, _random), $"odd-unicode in id {FuzzText.Shown(odd)}");
            default:
                return SetAction(draft, _random.Next(2) == 0 ? InsertAt(draft.Action, odd) : odd, $"odd-unicode in action {FuzzText.Shown(odd)}");
        }
    }

    /// <summary>Puts <paramref name="text"/> into a string value of the payload (or a new property when it has none).</summary>
    private bool InsertIntoText(Draft draft, string text, string what)
    {
        if (PickSlot(draft, v => v is FuzzValue { Kind: FuzzKind.String }) is { } slot)
        {
            var old = (FuzzValue)slot.Value;
            string value = _random.Next(4) == 0 ? text : InsertAt(old.StringValue!, text);
            slot.Value = FuzzValue.String(value, _random, old.Field, old.MaxLength);
            return draft.Payload($"{what} in {slot.Path}: {FuzzText.Shown(text)}");
        }

        if (draft.Frame.Payload is not { } payload)
        {
            return false;
        }

        payload.Properties.Add(new FuzzProperty(FuzzValue.String("note"), FuzzValue.String(text, _random)));
        return draft.Payload($"{what} in new /note: {FuzzText.Shown(text)}");
    }

    /// <summary>Puts <paramref name="text"/> into a property name: a new property, or an existing one renamed.</summary>
    private bool AddOddName(Draft draft, string text, string what)
    {
        var objects = PayloadObjects(draft).ToList();
        if (objects.Count == 0)
        {
            return false;
        }

        var (target, path) = objects[_random.Next(objects.Count)];
        if (target.Properties.Count > 0 && _random.Next(2) == 0)
        {
            int at = _random.Next(target.Properties.Count);
            var renamed = FuzzValue.String(InsertAt(target.Properties[at].Name.StringValue ?? "", text), _random, FuzzField.None);
            target.Properties[at] = target.Properties[at] with { Name = renamed };
            return draft.Payload($"{what} in property name {path}/{Short(renamed)}");
        }

        var name = FuzzValue.String(_random.Next(2) == 0 ? text : "x" + text, _random, FuzzField.None);
        target.Properties.Add(new FuzzProperty(name, RandomValue()));
        return draft.Payload($"{what} in new property name {path}/{Short(name)}");
    }

    private bool DeepNesting(Draft draft)
    {
        var frame = draft.Frame;
        int shallow = _random.Next(2, ShallowNesting + 1);
        int depth = _random.Next(4) switch
        {
            0 => shallow,
            1 => _random.Next(40, 400),
            2 => _random.Next(1100, 3000),
            _ => _random.Next(5000, 9000),
        };
        var nesting = new FuzzNesting(depth, _random);
        string where;
        switch (_random.Next(7))
        {
            case 0:
                frame.Elements.Clear();
                frame.ResetSeparators();
                frame.Elements.Add(nesting);
                where = "the whole frame";
                break;
            case 1 when frame.Elements.Count > 0:
                frame.Elements[0] = nesting;
                where = "MessageTypeId";
                break;
            case 2 when frame.Elements.Count > 1:
                frame.Elements[1] = nesting;
                where = "UniqueId";
                break;
            case 3 when frame.Elements.Count > 2:
                frame.Elements[2] = nesting;
                where = "Action";
                break;
            case 4 when frame.Elements.Count > 3:
                frame.Elements[3] = nesting;
                frame.PayloadMutated = true;
                where = "payload";
                break;
            case 5:
                frame.Elements.Add(nesting);
                frame.ResetSeparators();
                where = "an extra element";
                break;
            default:
                var objects = PayloadObjects(draft).ToList();
                if (objects.Count == 0)
                {
                    return false;
                }

                var (target, path) = objects[_random.Next(objects.Count)];
                if (target.Properties.Count > 0 && _random.Next(2) == 0)
                {
                    int at = _random.Next(target.Properties.Count);
                    target.Properties[at] = target.Properties[at] with { Value = nesting };
                    where = $"{path}/{target.Properties[at].Name.StringValue}";
                }
                else
                {
                    target.Properties.Add(new FuzzProperty(FuzzValue.String("nested"), nesting));
                    where = $"{path}/nested";
                }

                frame.PayloadMutated = true;
                break;
        }

        draft.Note($"deep-nesting {depth} levels in {where}");
        return true;
    }

    // ---- text and transport ------------------------------------------------------------------------------------

    private bool Truncated(Draft draft)
    {
        draft.Truncate = true;
        return true;
    }

    private bool Binary(Draft draft)
    {
        if (draft.InvalidBytes is not null)
        {
            return false; // invalid UTF-8 in the id of a binary frame would leave its expected id undefined
        }

        draft.MessageType = WebSocketMessageType.Binary;
        draft.Note("binary message");
        return true;
    }

    private bool Whitespace(Draft draft)
    {
        var frame = draft.Frame;
        string[] spaces = [" ", "  ", "\t", "\n", "\r\n", " \n\t "];
        string Space() => spaces[_random.Next(spaces.Length)];
        for (int i = 0; i <= frame.Elements.Count; i++)
        {
            if (!frame.HasCustomSeparator(i) && _random.Next(2) == 0)
            {
                var separator = frame.Separator(i);
                frame.SetSeparator(i, Space() + separator.Text + (separator.Text.Length > 0 ? Space() : ""), true);
            }
        }

        if (frame.LeadingIsValid && _random.Next(3) == 0)
        {
            frame.Leading = Space();
        }

        if (frame.TrailingIsValid && frame.Trailing.Length == 0 && _random.Next(3) == 0)
        {
            frame.Trailing = Space();
        }

        foreach (var node in frame.Elements.SelectMany(e => e.Descendants()).OfType<FuzzObject>())
        {
            node.Spacing = _random.Next(2) == 0 ? Space() : "";
        }

        draft.Note("JSON whitespace between tokens");
        return true;
    }

    private bool InvalidUtf8Bytes(Draft draft)
    {
        var frame = draft.Frame;
        bool binary = _random.Next(4) == 0;
        string marker = FuzzText.InvalidUtf8Marker.ToString();
        string where;
        switch (_random.Next(binary ? 4 : 6))
        {
            case 0 when frame.Elements.Count > 2:
                frame.Elements[2] = FuzzValue.String(InsertAt(draft.Action, marker));
                where = "Action";
                break;
            case 1 when PickSlot(draft, v => v is FuzzValue { Kind: FuzzKind.String }) is { } slot:
                slot.Value = FuzzValue.String(InsertAt(((FuzzValue)slot.Value).StringValue!, marker));
                frame.PayloadMutated = true;
                where = slot.Path;
                break;
            case 2 when PayloadObjects(draft).FirstOrDefault() is { Node: { } payload }:
                payload.Properties.Add(new FuzzProperty(FuzzValue.String("x" + marker), FuzzValue.Integer(1)));
                frame.PayloadMutated = true;
                where = "a property name";
                break;
            case 4 when frame.Elements.Count > 1:
                frame.Elements[1] = FuzzValue.String(InsertAt(IdText(draft) ?? "u", marker));
                where = "UniqueId";
                break;
            case 5:
                int separator = _random.Next(frame.Elements.Count + 1);
                frame.SetSeparator(separator, frame.Separator(separator).Text + marker, isValid: false);
                where = $"separator {separator}";
                break;
            default:
                frame.Trailing += marker;
                frame.TrailingIsValid = false;
                where = "after the frame";
                break;
        }

        draft.InvalidBytes = InvalidUtf8[_random.Next(InvalidUtf8.Length)];
        if (binary)
        {
            draft.MessageType = WebSocketMessageType.Binary;
        }

        draft.Note($"invalid-utf8 {Convert.ToHexString(draft.InvalidBytes)} in {where}{(binary ? " (binary message)" : "")}");
        return true;
    }

    private bool InvalidJson(Draft draft)
    {
        var frame = draft.Frame;
        string[] tokens = ["NaN", "Infinity", "-Infinity", "undefined", "'single'", "0x1F", "01", "+1", ".5", "1.", "1e", "tru", "nul", "True", "None", "--1"];
        string[] strings = ["\"a\u0001b\"", "\"tab\there\"", "\"\\x41\"", "\"\\u12G4\"", "\"\\u12\"", "\"\\'\"", "\"\\a\""];
        string[] objects = ["{a:1}", "{'a':1}", "{\"a\" 1}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}", "{\"a\"}", "{\"idTag\":\"x\"", "{\"a\":[1,]}", "{\"a\"::1}", "{/*c*/}"];
        string where;
        switch (_random.Next(9))
        {
            case 0 when PickSlot(draft, _ => true) is { } slot:
                slot.Value = FuzzValue.Invalid(tokens[_random.Next(tokens.Length)]);
                where = $"{slot.Path} = {Short(slot.Value)}";
                break;
            case 1 when PickSlot(draft, v => v is FuzzValue { Kind: FuzzKind.String }) is { } slot:
                slot.Value = FuzzValue.Invalid(strings[_random.Next(strings.Length)]);
                where = $"{slot.Path} = {Short(slot.Value)}";
                break;
            case 2 when frame.Elements.Count > 3:
                frame.Elements[3] = FuzzValue.Invalid(objects[_random.Next(objects.Length)]);
                where = $"payload = {Short(frame.Elements[3])}";
                break;
            case 3 when frame.Elements.Count > 0:
                string[] typeIds = ["02", "+2", "2.", ".2", "0x2", "'2'", "2L", "NaN", "two", "2 2"];
                frame.Elements[0] = FuzzValue.Invalid(typeIds[_random.Next(typeIds.Length)]);
                where = $"MessageTypeId = {Short(frame.Elements[0])}";
                break;
            case 4 when frame.Elements.Count > 1:
                string id = IdText(draft) ?? "i";
                string[] ids = [$"\"{id}\u0002\"", $"\"{id}\\x\"", $"'{id}'", $"\"{id}\\u00\"", $"\"{id}\n\"", id];
                frame.Elements[1] = FuzzValue.Invalid(ids[_random.Next(ids.Length)]);
                where = $"UniqueId = {Short(frame.Elements[1])}";
                break;
            case 5:
                int index = _random.Next(frame.Elements.Count + 1);
                string[] bad = index == 0 ? [",", "\v", "\u00A0", "/**/", "\f"] : [" ,,", " ;", " \v,", " \f,", " \u00A0,", " \u200B,", " /*x*/,", " ", " , ,"];
                if (index == frame.Elements.Count && index > 0)
                {
                    bad = [" ,", " ;", " :"];
                }

                frame.SetSeparator(index, bad[_random.Next(bad.Length)], isValid: false);
                where = $"separator {index} = {FuzzText.Shown(frame.Separator(index).Text)}";
                break;
            case 6:
                string[] leading = ["x", ",", "\v", "]", "\u00A0", "//\n"];
                frame.Leading = leading[_random.Next(leading.Length)];
                frame.LeadingIsValid = false;
                where = $"before the frame: {FuzzText.Shown(frame.Leading)}";
                break;
            default:
                string[] trailing = [" x", "]", ",", "[]", "{}", "\u0000", " [2,\"x\",\"Heartbeat\",{}]", "null", "\u00A0", "//"];
                frame.Trailing = trailing[_random.Next(trailing.Length)];
                frame.TrailingIsValid = false;
                where = $"after the frame: {FuzzText.Shown(frame.Trailing)}";
                break;
        }

        draft.Note($"invalid-json {where}");
        return true;
    }

    // ---- frame structure ---------------------------------------------------------------------------------------

    private bool WrongMessageType(Draft draft)
    {
        if (draft.Frame.Elements.Count == 0)
        {
            return false;
        }

        FuzzNode typeId = _random.Next(20) switch
        {
            0 => FuzzValue.Integer(0),
            1 => FuzzValue.Integer(1),
            2 => FuzzValue.Integer(5),
            3 => FuzzValue.Integer(9),
            4 => FuzzValue.Integer(-2),
            5 => FuzzValue.Integer(int.MaxValue),
            6 => FuzzValue.Integer(int.MinValue),
            7 => FuzzValue.Number("2.0"),
            8 => FuzzValue.Number("2e0"),
            9 => FuzzValue.Number("20e-1"),
            10 => FuzzValue.Number("2147483650"),
            11 => FuzzValue.Number("1e400"),
            12 => FuzzValue.String("2"),
            13 => FuzzValue.String("CALL"),
            14 => FuzzValue.Literal(_random.Next(2) == 0 ? "null" : "true"),
            15 => new FuzzArray(FuzzValue.Integer(2)),
            16 => new FuzzObject(),
            17 => FuzzValue.Integer(3), // a CALL-shaped frame marked as an answer: answers nothing
            18 => FuzzValue.Integer(4),
            _ => FuzzValue.Number("3.0"),
        };
        draft.Frame.Elements[0] = typeId;
        draft.Note($"wrong-message-type {Short(typeId)}");
        return true;
    }

    private bool LongId(Draft draft)
    {
        int length = _random.Next(4) switch
        {
            0 => MaxUniqueIdLength + 1,
            1 => _random.Next(MaxUniqueIdLength + 2, 65),
            2 => _random.Next(65, 301),
            _ => _random.Next(301, 5001),
        };
        string id = _random.Next(3) == 0
            ? RandomBmpText(length)
            : (NewGuid() + "-" + RandomText(length, multibyte: false))[..length];
        return SetId(draft, FuzzValue.String(id, _random), $"long-id of {length} UTF-16 units");
    }

    private bool NonStringId(Draft draft)
    {
        var frame = draft.Frame;
        if (frame.Elements.Count < 2)
        {
            return false;
        }

        if (_random.Next(6) == 0)
        {
            // The id left out: the action takes its place and is read as the id.
            frame.Elements.RemoveAt(1);
            frame.ResetSeparators();
            draft.Note("non-string-id: id left out");
            return true;
        }

        FuzzNode id = _random.Next(9) switch
        {
            0 => FuzzValue.Integer(_random.Next(1, 100_000)),
            1 => FuzzValue.Integer(-1),
            2 => FuzzValue.Number("1.5"),
            3 => FuzzValue.Literal("null"),
            4 => FuzzValue.Literal("true"),
            5 => new FuzzArray(FuzzValue.String(IdText(draft) ?? "a")),
            6 => new FuzzObject().Add("id", FuzzValue.String(IdText(draft) ?? "a")),
            7 => FuzzValue.Number("1e400"),
            _ => new FuzzArray(),
        };
        frame.Elements[1] = id;
        draft.Note($"non-string-id {Short(id)}");
        return true;
    }

    private bool DuplicateId(Draft draft)
    {
        string id = _random.Next(4) switch
        {
            0 when _previousId is not null => _previousId,
            1 => $"hb-{draft.Index}", // the id of the Heartbeat sent right after this frame
            2 => $"hb-{Math.Max(0, draft.Index - 1)}",
            _ => "boot-1",
        };
        return SetId(draft, FuzzValue.String(id, _random), $"duplicate-id {FuzzText.Shown(id)}");
    }

    private bool NonArray(Draft draft)
    {
        string frame = draft.Frame.Render().Text;
        string[] texts =
        [
            "{}", "{\"messageTypeId\":2,\"uniqueId\":\"x\",\"action\":\"Heartbeat\",\"payload\":{}}", "{\"0\":2,\"1\":\"x\",\"2\":\"Heartbeat\",\"3\":{}}",
            FuzzText.Literal(frame), "2", "null", "true", "\"\"", "", " ", "\n", "hello", "2,\"x\",\"Heartbeat\",{}", "]", "}", ":",
            "{\"a\":[3,\"x\",{}]}", "\"[2,\\\"x\\\",\\\"Heartbeat\\\",{}]\"", "1e400", "-", "{\"action\":\"Heartbeat\"", frame[1..],
        ];
        draft.Frame.NonArrayText = texts[_random.Next(texts.Length)];
        draft.Note($"non-array {FuzzText.Shown(draft.Frame.NonArrayText, 40)}");
        return true;
    }

    private bool BadStructure(Draft draft)
    {
        var frame = draft.Frame;
        if (frame.Elements.Count != 4)
        {
            return false;
        }

        string what;
        var (typeId, id, action, payload) = (frame.Elements[0], frame.Elements[1], frame.Elements[2], frame.Elements[3]);
        frame.ResetSeparators();
        switch (_random.Next(12))
        {
            case 0:
                frame.Elements.RemoveAt(3);
                what = "payload left out";
                break;
            case 1:
                frame.Elements.RemoveRange(2, 2);
                what = "action and payload left out";
                break;
            case 2:
                frame.Elements.RemoveRange(1, 3);
                what = "only the MessageTypeId";
                break;
            case 3:
                frame.Elements.Clear();
                what = "empty array";
                break;
            case 4:
                FuzzNode[] extras = [new FuzzObject(), FuzzValue.String("extra"), FuzzValue.Integer(1), FuzzValue.Literal("null"), new FuzzArray(), payload.Clone()];
                frame.Elements.Add(extras[_random.Next(extras.Length)]);
                what = "a fifth element";
                break;
            case 5:
                FuzzNode[] payloads = [new FuzzArray(), FuzzValue.String("{}"), FuzzValue.Integer(0), FuzzValue.Literal("null"), new FuzzArray(payload), FuzzValue.String(payload.ToString(), _random)];
                frame.Elements[3] = payloads[_random.Next(payloads.Length)];
                what = $"payload a {frame.Elements[3].Kind}";
                break;
            case 6:
                (frame.Elements[2], frame.Elements[3]) = (payload, action);
                what = "action and payload swapped";
                break;
            case 7:
                (frame.Elements[0], frame.Elements[1]) = (id, typeId);
                what = "MessageTypeId and UniqueId swapped";
                break;
            case 8:
                (frame.Elements[1], frame.Elements[2]) = (action, id);
                what = "UniqueId and action swapped";
                break;
            case 9:
                frame.Elements.Clear();
                frame.Elements.Add(new FuzzArray(typeId, id, action, payload));
                what = "frame wrapped in an array";
                break;
            case 10:
                frame.Elements.Add(FuzzValue.Integer(2));
                frame.Elements.Add(id);
                what = "two frames in one array";
                break;
            default:
                frame.Elements.RemoveAt(2);
                what = "action left out";
                break;
        }

        draft.Note($"bad-structure: {what}");
        return true;
    }

    private bool BadAction(Draft draft)
    {
        string action = draft.Action;
        switch (_random.Next(6))
        {
            case 0:
                string[] unknown =
                [
                    "FooBar", action.ToLowerInvariant(), action.ToUpperInvariant(), action + " ", " " + action, action + "Response",
                    action + "Request", "H\u0435artbeat", new('A', 1000), "Heart beat", "heartBeat", "Heartbeat\u0000", "DataTransfer.req",
                ];
                return SetAction(draft, unknown[_random.Next(unknown.Length)], "bad-action unknown");
            case 1:
                string central = ValidPayloads.CentralSystemActions[_random.Next(ValidPayloads.CentralSystemActions.Length)];
                return SetAction(draft, central, $"bad-action {central} (sent by a central system)");
            case 2:
                return SetAction(draft, "", "bad-action empty");
            case 3 when draft.Frame.Elements.Count > 2:
                FuzzNode[] nonStrings = [FuzzValue.Integer(5), FuzzValue.Literal("null"), FuzzValue.Literal("false"), new FuzzArray(FuzzValue.String(action)), new FuzzObject()];
                draft.Frame.Elements[2] = nonStrings[_random.Next(nonStrings.Length)];
                draft.Note($"bad-action {Short(draft.Frame.Elements[2])}");
                return true;
            default:
                string other = ValidPayloads.Actions[_random.Next(ValidPayloads.Actions.Length)];
                draft.Frame.PayloadMutated |= other != action;
                return SetAction(draft, other, $"bad-action {other} with the payload of {action}");
        }
    }

    private bool UnsolicitedAnswer(Draft draft)
    {
        var frame = draft.Frame;
        string id = _random.Next(4) switch
        {
            0 => $"hb-{Math.Max(0, draft.Index - 1)}",
            1 => NewGuid().Replace("-", "", StringComparison.Ordinal),
            _ => IdText(draft) ?? "r",
        };
        frame.Elements.Clear();
        frame.ResetSeparators();
        var uniqueId = FuzzValue.String(id, _random);
        FuzzObject Response() => _random.Next(5) switch
        {
            0 => new FuzzObject().Add("status", FuzzValue.String("Accepted")),
            1 => new FuzzObject().Add("currentTime", FuzzValue.String(ValidPayloads.Timestamp(_random))),
            2 => new FuzzObject().Add("idTagInfo", new FuzzObject().Add("status", FuzzValue.String("Accepted"))),
            3 => new FuzzObject().Add("configurationKey", new FuzzArray(new FuzzObject().Add("key", FuzzValue.String("HeartbeatInterval")).Add("readonly", FuzzValue.Literal("false")))),
            _ => new FuzzObject(),
        };
        string what;
        switch (_random.Next(12))
        {
            case < 3:
                frame.Elements.AddRange([FuzzValue.Integer(3), uniqueId, Response()]);
                what = "CALLRESULT";
                break;
            case < 5:
                string[] codes = [.. FuzzExpectation.ErrorCodes, "NotAnErrorCode", ""];
                frame.Elements.AddRange([FuzzValue.Integer(4), uniqueId, FuzzValue.String(codes[_random.Next(codes.Length)]),
                    FuzzValue.String("charger says no", _random), _random.Next(2) == 0 ? new FuzzObject() : new FuzzObject().Add("detail", FuzzValue.Integer(1))]);
                what = "CALLERROR";
                break;
            case 5:
                frame.Elements.Add(FuzzValue.Integer(3 + _random.Next(2)));
                what = "bare MessageTypeId";
                break;
            case 6:
                frame.Elements.AddRange([FuzzValue.Integer(3 + _random.Next(2)), uniqueId]);
                what = "no payload";
                break;
            case 7:
                frame.Elements.AddRange([FuzzValue.Integer(3), uniqueId, FuzzValue.String("x"), new FuzzObject()]);
                what = "CALLRESULT with four elements";
                break;
            case 8:
                frame.Elements.AddRange([FuzzValue.Integer(4), uniqueId, FuzzValue.Integer(1), FuzzValue.Integer(2), FuzzValue.Integer(3)]);
                what = "CALLERROR of numbers";
                break;
            case 9:
                FuzzNode[] ids = [FuzzValue.Integer(5), FuzzValue.Literal("null"), FuzzValue.String(""), FuzzValue.String(new string('r', 80)), FuzzValue.String("\uD800", _random)];
                frame.Elements.AddRange([FuzzValue.Integer(3 + _random.Next(2)), ids[_random.Next(ids.Length)], Response()]);
                what = "bad id";
                break;
            case 10:
                frame.Elements.AddRange([FuzzValue.Integer(3), uniqueId, new FuzzNesting(_random.Next(40, 2000), _random)]);
                what = "nested too deep";
                break;
            default:
                frame.Elements.AddRange([FuzzValue.Integer(3), uniqueId, FuzzValue.Invalid("{\"status\":\"Accepted\"")]);
                what = "invalid JSON";
                break;
        }

        draft.Note($"unsolicited-answer {what}");
        return true;
    }

    // ---- size --------------------------------------------------------------------------------------------------

    private bool Oversized(Draft draft)
    {
        int limit = _limits.MaxFrameBytes;
        int target = _random.Next(10) switch
        {
            0 => limit, // exactly the limit: processed as usual
            < 3 => limit + 1,
            < 5 => limit + _random.Next(2, 65),
            _ => limit + _random.Next(65, limit),
        };
        string[] positions = ["payload", "payload", "before-id", "id", "trailing", "meter-values"];
        draft.Padding = (positions[_random.Next(positions.Length)], target);
        return true;
    }

    private bool BeyondDiscardLimit(Draft draft)
    {
        draft.Padding = (_random.Next(2) == 0 ? "payload" : "trailing", _limits.MaxDiscardedFrameBytes + _random.Next(1, 65));
        return true;
    }

    /// <summary>Grows the frame to <paramref name="target"/> bytes with padding at <paramref name="position"/>.</summary>
    private void Pad(Draft draft, string position, int target)
    {
        var frame = draft.Frame;
        if (frame.NonArrayText is not null || frame.Elements.Count < 2)
        {
            position = "trailing";
        }

        if (position == "meter-values" && (draft.Action != "MeterValues"
            || frame.Payload?["meterValue"] is not FuzzArray { Items: [FuzzObject meterValue, ..] }
            || meterValue["sampledValue"] is not FuzzArray { Items.Count: > 0 }))
        {
            position = "payload";
        }

        if (position == "before-id" && !frame.Separator(1).IsValid)
        {
            position = "trailing";
        }

        int size = Encoded(frame.Render().Text).Length;
        if (position == "payload" && frame.Payload is null)
        {
            position = "trailing";
        }

        int room = target - size;
        if (room <= 0)
        {
            draft.Note($"padding to {target} bytes not needed ({size} bytes)");
            return;
        }

        switch (position)
        {
            case "meter-values":
                var sampled = (FuzzArray)((FuzzObject)((FuzzArray)frame.Payload!["meterValue"]!).Items[0])["sampledValue"]!;
                var template = sampled.Items[0];
                int each = Encoded(template.ToString()).Length + 1;
                for (int n = room / each + 1; n > 0; n--)
                {
                    sampled.Items.Add(template.Clone());
                }

                break;
            case "before-id":
                frame.SetSeparator(1, frame.Separator(1).Text + new string(' ', room), isValid: true);
                break;
            case "id":
                string id = IdText(draft) ?? "p";
                frame.Elements[1] = FuzzValue.String(id + new string('p', room));
                break;
            case "payload":
                var payload = frame.Payload!;
                int at = payload.Properties.FindIndex(p => p.Name.StringValue == "data");
                if (draft.Action != "DataTransfer" || at < 0)
                {
                    at = payload.Properties.Count;
                    payload.Properties.Add(new FuzzProperty(FuzzValue.String(draft.Action == "DataTransfer" ? "data" : "padding"), FuzzValue.String("")));
                    frame.PayloadMutated |= draft.Action != "DataTransfer";
                }

                payload.Properties[at] = payload.Properties[at] with { Value = FuzzValue.String("") };
                int before = Encoded(frame.Render().Text).Length;
                payload.Properties[at] = payload.Properties[at] with { Value = FuzzValue.String(Filler(Math.Max(0, target - before))) };
                break;
            default:
                frame.Trailing += new string(' ', room);
                break;
        }

        draft.Note($"{(target > _limits.MaxDiscardedFrameBytes ? "beyond-discard-limit" : "oversized")} {position} padded to {Encoded(frame.Render().Text).Length} bytes (limit {_limits.MaxFrameBytes})");
    }

    /// <summary>Text of exactly <paramref name="bytes"/> UTF-8 bytes, sometimes of multi-byte characters.</summary>
    private string Filler(int bytes)
    {
        string unit = _random.Next(4) switch { 0 => "é", 1 => "中", 2 => "😀", _ => "x" };
        int unitBytes = Encoding.UTF8.GetByteCount(unit);
        var text = new StringBuilder(bytes);
        for (int i = 0; i < bytes / unitBytes; i++)
        {
            text.Append(unit);
        }

        return text.Append('x', bytes % unitBytes).ToString();
    }

    // ---- finishing ---------------------------------------------------------------------------------------------

    private FuzzCase Finish(int index, string category, Draft draft)
    {
        if (draft.Padding is var (position, target))
        {
            Pad(draft, position, target);
        }

        int? cut = null;
        var rendered = draft.Frame.Render();
        string text = rendered.Text;
        int marker = text.IndexOf(FuzzText.InvalidUtf8Marker, StringComparison.Ordinal);
        int headEnd = rendered.El1End >= 0 ? rendered.El1End : rendered.El0End >= 0 ? rendered.El0End : text.Length;
        if (draft.MessageType == WebSocketMessageType.Binary && marker >= 0 && marker < headEnd)
        {
            // Another mutation moved the invalid bytes into the head of a binary frame, whose id would then be no text.
            draft.MessageType = WebSocketMessageType.Text;
            draft.Note("sent as text: the invalid UTF-8 reached the head of the frame");
        }

        if (draft.Truncate && text.Length > 0)
        {
            int end = Math.Max(0, rendered.ArrayEnd);
            int at = _random.Next(10) switch
            {
                < 3 when rendered.El1Start >= 0 => _random.Next(Math.Max(0, rendered.El1Start - 1), Math.Min(end, rendered.El1End + 2) + 1),
                3 when rendered.El0Start >= 0 => _random.Next(rendered.El0Start, Math.Min(end, rendered.El0End + 1) + 1),
                _ => _random.Next(0, end + 1),
            };
            at = Math.Clamp(at, 0, Math.Min(end, text.Length - 1));
            if (at > 0 && at < text.Length && char.IsLowSurrogate(text[at]) && char.IsHighSurrogate(text[at - 1]))
            {
                at--;
            }

            cut = at;
            draft.Note($"truncated after {at} of {text.Length} characters");
        }

        var (bytes, expected) = Build(draft.Frame, _limits, draft.MessageType, cut, draft.InvalidBytes);
        var fragments = new List<int> { bytes.Length };
        if (bytes.Length >= 3 && _random.Next(5) == 0)
        {
            // Mostly 2 or 3 fragments; now and then many, some of them empty.
            int count = _random.Next(8) == 0 ? _random.Next(4, 41) : _random.Next(2, 4);
            var cuts = Enumerable.Range(0, count - 1).Select(_ => count > 3 ? _random.Next(0, bytes.Length + 1) : _random.Next(1, bytes.Length)).Order().ToList();
            fragments = cuts.Append(bytes.Length).Select((end, i) => end - (i == 0 ? 0 : cuts[i - 1])).ToList();
            draft.Note($"{fragments.Count} fragments");
        }

        return new FuzzCase(index, category, draft.Mutations, bytes, draft.MessageType, fragments, expected);
    }

    /// <summary>
    /// The bytes of <paramref name="frame"/>, cut after <paramref name="cut"/> characters when given, with each
    /// invalid-UTF-8 marker replaced by <paramref name="invalidBytes"/>, and the outcome the server owes them.
    /// </summary>
    internal static (byte[] Bytes, FuzzExpectation Expected) Build(
        FuzzFrame frame, FuzzLimits limits, WebSocketMessageType messageType = WebSocketMessageType.Text, int? cut = null, byte[]? invalidBytes = null)
    {
        var rendered = frame.Render();
        string text = cut is { } at ? rendered.Text[..at] : rendered.Text;
        byte[] bytes = Encoded(text, invalidBytes);
        int ByteOffset(int charOffset) => charOffset < 0 ? -1 : charOffset > text.Length ? bytes.Length + 1 : Encoded(text[..charOffset], invalidBytes).Length;
        var facts = new FrameFacts(
            frame, bytes.Length, ByteOffset(rendered.El0Start), ByteOffset(rendered.El0End), ByteOffset(rendered.El1End), cut is not null,
            invalidBytes is not null && text.Contains(FuzzText.InvalidUtf8Marker, StringComparison.Ordinal), messageType);
        return (bytes, FuzzOracle.Expect(facts, limits));
    }

    /// <summary>UTF-8 of <paramref name="text"/>, each invalid-UTF-8 marker replaced with <paramref name="invalid"/>.</summary>
    private static byte[] Encoded(string text, byte[]? invalid = null)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        if (invalid is null || !text.Contains(FuzzText.InvalidUtf8Marker, StringComparison.Ordinal))
        {
            return utf8;
        }

        ReadOnlySpan<byte> marker = [0xEE, 0x80, 0x80]; // U+E000
        var output = new List<byte>(utf8.Length + 8);
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8.AsSpan(i).StartsWith(marker))
            {
                output.AddRange(invalid);
                i += marker.Length - 1;
            }
            else
            {
                output.Add(utf8[i]);
            }
        }

        return [.. output];
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private bool SetId(Draft draft, FuzzValue id, string note)
    {
        if (draft.Frame.Elements.Count < 2 || draft.Frame.NonArrayText is not null)
        {
            return false;
        }

        draft.Frame.Elements[1] = id;
        draft.Note(note);
        return true;
    }

    private bool SetAction(Draft draft, string action, string note)
    {
        if (draft.Frame.Elements.Count < 3 || draft.Frame.NonArrayText is not null)
        {
            return false;
        }

        draft.Frame.Elements[2] = FuzzValue.String(action, _random);
        draft.Note(note);
        return true;
    }

    private static string? IdText(Draft draft) =>
        draft.Frame.Elements.Count > 1 && draft.Frame.Elements[1] is FuzzValue { Kind: FuzzKind.String } id ? id.StringValue : null;

    /// <summary>Inserts <paramref name="text"/> at a random place of <paramref name="value"/> that splits no surrogate pair.</summary>
    private string InsertAt(string value, string text)
    {
        int at = _random.Next(value.Length + 1);
        if (at > 0 && at < value.Length && char.IsLowSurrogate(value[at]) && char.IsHighSurrogate(value[at - 1]))
        {
            at++;
        }

        return value.Insert(at, text);
    }

    private FuzzNode RandomValue() => _random.Next(7) switch
    {
        0 => FuzzValue.Integer(_random.Next(-10, 10_000)),
        1 => FuzzValue.String(RandomText(_random.Next(0, 30), multibyte: _random.Next(3) == 0), _random),
        2 => FuzzValue.Literal("true"),
        3 => FuzzValue.Literal("null"),
        4 => new FuzzObject().Add("k", FuzzValue.Integer(1)),
        5 => new FuzzArray(FuzzValue.Integer(1), FuzzValue.String("two")),
        _ => FuzzValue.Number("0.25"),
    };

    private string RandomText(int length, bool multibyte)
    {
        const string Ascii = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/ ";
        string[] wide = ["é", "中", "😀", "ß", "€"];
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            string next = multibyte && _random.Next(2) == 0 ? wide[_random.Next(wide.Length)] : Ascii[_random.Next(Ascii.Length)].ToString();
            if (text.Length + next.Length > length)
            {
                next = "x";
            }

            text.Append(next);
        }

        return text.ToString();
    }

    /// <summary>Text of BMP characters only, so that characters and UTF-16 units agree (long ids of a known length).</summary>
    private string RandomBmpText(int length)
    {
        const string Characters = "abcXYZ019-_éüß中文Ωж€";
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append(Characters[_random.Next(Characters.Length)]);
        }

        return text.ToString();
    }

    private string RandomDigits(int length)
    {
        var text = new StringBuilder(length).Append((char)('1' + _random.Next(9)));
        while (text.Length < length)
        {
            text.Append((char)('0' + _random.Next(10)));
        }

        return text.ToString();
    }

    private static string Short(FuzzNode node)
    {
        string text = node.ToString();
        return text.Length <= 40 ? FuzzText.Shown(text, 40) : FuzzText.Shown(text[..40], 40) + $"…({text.Length} chars)";
    }

    /// <summary>Object nodes of the payload with their paths, the payload itself first.</summary>
    private static IEnumerable<(FuzzObject Node, string Path)> PayloadObjects(Draft draft)
    {
        if (draft.Frame.Payload is not { } payload)
        {
            yield break;
        }

        foreach (var (node, path) in Walk(payload, ""))
        {
            if (node is FuzzObject o)
            {
                yield return (o, path.Length == 0 ? "/" : path);
            }
        }
    }

    private static IEnumerable<(FuzzNode Node, string Path)> Walk(FuzzNode node, string path)
    {
        yield return (node, path);
        switch (node)
        {
            case FuzzObject o:
                foreach (var property in o.Properties)
                {
                    foreach (var inner in Walk(property.Value, $"{path}/{property.Name.StringValue}"))
                    {
                        yield return inner;
                    }
                }

                break;
            case FuzzArray a:
                for (int i = 0; i < a.Items.Count; i++)
                {
                    foreach (var inner in Walk(a.Items[i], $"{path}/{i}"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private Slot? PickSlot(Draft draft, Func<FuzzNode, bool> fits)
    {
        if (draft.Frame.Payload is not { } payload)
        {
            return null;
        }

        var slots = new List<Slot>();
        foreach (var (node, path) in Walk(payload, ""))
        {
            if (node is FuzzObject o)
            {
                for (int i = 0; i < o.Properties.Count; i++)
                {
                    if (fits(o.Properties[i].Value))
                    {
                        slots.Add(new Slot(o, i, $"{path}/{o.Properties[i].Name.StringValue}"));
                    }
                }
            }
            else if (node is FuzzArray a)
            {
                for (int i = 0; i < a.Items.Count; i++)
                {
                    if (fits(a.Items[i]))
                    {
                        slots.Add(new Slot(a, i, $"{path}/{i}"));
                    }
                }
            }
        }

        return slots.Count == 0 ? null : slots[_random.Next(slots.Count)];
    }

    /// <summary>A place in the payload that holds a value: a property of an object or an item of an array.</summary>
    private sealed class Slot(FuzzNode container, int index, string path)
    {
        public string Path { get; } = path;

        public FuzzNode Value
        {
            get => container is FuzzObject o ? o.Properties[index].Value : ((FuzzArray)container).Items[index];
            set
            {
                if (container is FuzzObject o)
                {
                    o.Properties[index] = o.Properties[index] with { Value = value };
                }
                else
                {
                    ((FuzzArray)container).Items[index] = value;
                }
            }
        }
    }

    /// <summary>A case being built.</summary>
    private sealed class Draft(string action, FuzzFrame frame)
    {
        public int Index { get; init; }

        public string Action { get; } = action;

        public FuzzFrame Frame { get; } = frame;

        public List<string> Mutations { get; } = [];

        public WebSocketMessageType MessageType { get; set; } = WebSocketMessageType.Text;

        public bool Truncate { get; set; }

        public byte[]? InvalidBytes { get; set; }

        public (string Position, int Target)? Padding { get; set; }

        public void Note(string mutation) => Mutations.Add(mutation);

        /// <summary>Records a payload mutation; returns true so that a mutation can end with it.</summary>
        public bool Payload(string mutation)
        {
            Frame.PayloadMutated = true;
            Mutations.Add(mutation);
            return true;
        }
    }
}
