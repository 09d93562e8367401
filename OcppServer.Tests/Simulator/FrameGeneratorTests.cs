using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChargePointSimulator.Fuzz;

namespace OcppServer.Tests.Simulator;

/// <summary>
/// The fuzz generator on its own: deterministic per seed, every category drawn, and the outcome it expects for frames
/// checked by hand (truncation before and after the id, answers, binary, invalid UTF-8, sizes, nesting).
/// </summary>
public sealed class FrameGeneratorTests
{
    private static readonly FuzzLimits Limits = new() { MaxFrameBytes = 4096, MaxDiscardedFrameBytes = 65536 };

    [Test]
    public void The_same_seed_gives_the_same_cases_and_another_seed_other_ones()
    {
        var first = Generate(seed: 7, count: 1500);
        var again = Generate(seed: 7, count: 1500);
        var other = Generate(seed: 8, count: 1500);

        Assert.That(again.Select(Fingerprint), Is.EqualTo(first.Select(Fingerprint)));
        Assert.That(other.Select(c => Convert.ToBase64String(c.Bytes)), Is.Not.EqualTo(first.Select(c => Convert.ToBase64String(c.Bytes))));
    }

    [Test]
    public void Every_category_is_drawn_and_every_outcome_is_expected_somewhere()
    {
        var generator = new FrameGenerator(seed: 11, Limits);
        var cases = Generate(seed: 11, count: 3000);

        Assert.That(cases.Select(c => c.Category).Distinct(), Is.EquivalentTo(generator.Categories));
        Assert.That(generator.Categories, Is.SupersetOf(new[]
        {
            "wrong-type", "missing-field", "extra-field", "long-string", "bad-enum", "huge-number", "fractional-number", "lone-surrogate",
            "odd-unicode", "deep-nesting", "truncated", "invalid-utf8", "wrong-message-type", "empty-id", "long-id", "non-string-id",
            "duplicate-id", "non-array", "oversized", "unsolicited-answer", "binary", "beyond-discard-limit",
        }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cases.Select(c => c.Expected.Outcome).Distinct(), Is.EquivalentTo(Enum.GetValues<FuzzOutcome>()));
            Assert.That(cases.Where(c => c.Expected.Outcome == FuzzOutcome.Close).Select(c => c.Expected.CloseStatus).Distinct(),
                Is.EquivalentTo(new[] { WebSocketCloseStatus.InvalidPayloadData, WebSocketCloseStatus.MessageTooBig }));
            Assert.That(cases.Where(c => c.Expected.Outcome == FuzzOutcome.Reply).Select(c => c.Expected.UniqueId), Does.Contain("-1").And.Contain(""));
            Assert.That(cases.Count(c => c.MessageType == WebSocketMessageType.Binary), Is.GreaterThan(50));
            Assert.That(cases.Count(c => c.FragmentLengths.Count > 1), Is.GreaterThan(300));
            Assert.That(cases.Count(c => c.Bytes.Length > Limits.MaxFrameBytes), Is.GreaterThan(30));
            Assert.That(cases.Count(c => c.Mutations.Count > 1), Is.GreaterThan(300), "some cases stack several mutations");
            Assert.That(cases.All(c => c.FragmentLengths.Sum() == c.Bytes.Length));
            Assert.That(cases.Where(c => c.Category == "unsolicited-answer" && c.Mutations.Count == 1).Select(c => c.Expected), Has.All.EqualTo(FuzzExpectation.NoReply));
            Assert.That(cases.Where(c => c.Category == "empty-id" && c.Mutations.Count == 1).Select(c => c.Expected.ToString()),
                Has.All.EqualTo("""reply "" with FormationViolation"""));
            Assert.That(cases.Where(c => c.Category == "valid" && c.Mutations.Count == 1 && c.FragmentLengths.Count == 1).Select(c => c.Expected.Answers),
                Has.All.EquivalentTo(new[] { FuzzExpectation.CallResult }));
        }
    }

    [Test]
    public void Valid_payloads_of_the_ten_actions_are_json_objects_of_their_schema_fields()
    {
        var random = new Random(3);
        foreach (string action in ValidPayloads.Actions)
        {
            for (int i = 0; i < 50; i++)
            {
                using var payload = JsonDocument.Parse(ValidPayloads.Create(action, random).ToString());
                Assert.That(payload.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Object), action);
            }
        }
    }

    private static IEnumerable<TestCaseData> HandCheckedFrames()
    {
        FuzzFrame Call(string id = "abc", string action = "Heartbeat", int type = 2, FuzzNode? payload = null) =>
            FuzzFrame.Call(FuzzValue.Integer(type), FuzzValue.String(id), FuzzValue.String(action), payload ?? new FuzzObject());

        // [2,"abc","Heartbeat",{}]: the id's closing quote is character 7 (from 0).
        yield return Case(Call(), "reply \"abc\" with CALLRESULT").SetName("valid Heartbeat -> CALLRESULT");
        yield return Case(Call(), "reply \"-1\" with FormationViolation", cut: 5).SetName("cut inside the id -> -1");
        yield return Case(Call(), "reply \"-1\" with FormationViolation", cut: 7).SetName("cut before the id's closing quote -> -1");
        yield return Case(Call(), "reply \"abc\" with FormationViolation", cut: 8).SetName("cut right after the id -> the id");
        yield return Case(Call(), "reply \"abc\" with FormationViolation", cut: 20).SetName("cut in the action -> the id");
        yield return Case(Call(), "reply \"-1\" with FormationViolation", cut: 0).SetName("nothing left -> -1");
        yield return Case(Call(type: 3), "reply \"-1\" with FormationViolation", cut: 2).SetName("[3 at the end: the number may be cut -> -1");
        yield return Case(Call(type: 3), "no reply", cut: 3).SetName("[3, -> an answer: no reply");
        yield return Case(Call(type: 4), "no reply", cut: 8).SetName("[4,\"abc\" -> no reply");
        yield return Case(Call(), "reply \"abc\" with FormationViolation", type: WebSocketMessageType.Binary).SetName("binary -> the id, FormationViolation");
        yield return Case(Call(type: 3), "no reply", type: WebSocketMessageType.Binary).SetName("binary CALLRESULT -> no reply");
        yield return Case(Call(id: ""), "reply \"\" with FormationViolation").SetName("empty id -> echoed");
        yield return Case(Call(id: new string('x', 37)), $"reply \"{new string('x', 37)}\" with FormationViolation").SetName("37-character id -> echoed");
        yield return Case(Call(id: new string('x', 36)), $"reply \"{new string('x', 36)}\" with CALLRESULT").SetName("36-character id -> accepted");
        yield return Case(Call(id: "a\uD800"), "reply \"a\\ud800\" with FormationViolation").SetName("lone surrogate in the id -> echoed");
        yield return Case(Call(action: "FooBar"), "reply \"abc\" with NotImplemented").SetName("unknown action -> NotImplemented");
        yield return Case(Call(action: "Reset"), "reply \"abc\" with NotSupported").SetName("central system action -> NotSupported");
        yield return Case(Call(action: ""), "reply \"abc\" with FormationViolation").SetName("empty action -> FormationViolation");
        yield return Case(Call(type: 9), "reply \"abc\" with FormationViolation").SetName("MessageTypeId 9 -> FormationViolation");
        yield return Case(Call(payload: new FuzzObject().Add("note", FuzzValue.String("x\uDC00"))), "reply \"abc\" with PropertyConstraintViolation").SetName("lone surrogate in a value -> PropertyConstraintViolation");
        yield return Case(Call(payload: new FuzzObject().Add("n\uD800", FuzzValue.Integer(1))), "reply \"abc\" with FormationViolation").SetName("lone surrogate in a name -> FormationViolation");

        var noPayload = Call();
        noPayload.Elements.RemoveAt(3);
        yield return Case(noPayload, "reply \"abc\" with ProtocolError").SetName("payload left out -> ProtocolError");

        var numberId = Call();
        numberId.Elements[1] = FuzzValue.Integer(5);
        yield return Case(numberId, "reply \"-1\" with FormationViolation").SetName("number as id -> -1");

        var answerWithNumberId = Call(type: 3);
        answerWithNumberId.Elements[1] = FuzzValue.Integer(5);
        yield return Case(answerWithNumberId, "no reply").SetName("CALLRESULT with a number as id -> no reply");

        var deepFirst = Call();
        deepFirst.Elements[0] = new FuzzNesting(100, new Random(1));
        yield return Case(deepFirst, "reply \"abc\" with FormationViolation").SetName("first element 100 deep -> still the id");

        var tooDeepFirst = Call();
        tooDeepFirst.Elements[0] = new FuzzNesting(1500, new Random(1));
        yield return Case(tooDeepFirst, "reply \"-1\" with FormationViolation").SetName("first element 1500 deep -> -1");

        var deepPayload = Call(payload: new FuzzObject().Add("a", new FuzzNesting(40, new Random(1))));
        yield return Case(deepPayload, "reply \"abc\" with FormationViolation").SetName("payload 40 deep -> FormationViolation with the id");

        var invalidInPayload = Call(action: "DataTransfer", payload: new FuzzObject().Add("vendorId", FuzzValue.String("v" + FuzzText.InvalidUtf8Marker)));
        yield return Case(invalidInPayload, "close 1007 (InvalidPayloadData)", invalid: [0xFF]).SetName("invalid UTF-8 text -> closed 1007");
        yield return Case(invalidInPayload, "reply \"abc\" with FormationViolation", invalid: [0xFF], type: WebSocketMessageType.Binary).SetName("invalid UTF-8 binary -> the id");
        yield return Case(invalidInPayload, "reply \"abc\" with FormationViolation", invalid: [0xFF], cut: 20).SetName("invalid UTF-8 cut away -> a plain truncated frame");

        var paddedTrailing = Call();
        paddedTrailing.Trailing = new string(' ', Limits.MaxFrameBytes);
        yield return Case(paddedTrailing, "reply \"abc\" with FormationViolation").SetName("oversized, id within the limit -> the id");

        var paddedId = Call(id: new string('p', Limits.MaxFrameBytes + 10));
        yield return Case(paddedId, "reply \"-1\" with FormationViolation").SetName("oversized id -> -1");

        var paddedBeforeId = Call(type: 3);
        paddedBeforeId.SetSeparator(1, "," + new string(' ', Limits.MaxFrameBytes), isValid: true);
        yield return Case(paddedBeforeId, "no reply").SetName("oversized CALLRESULT, id beyond the limit -> no reply");

        var beyondDiscard = Call();
        beyondDiscard.Trailing = new string(' ', Limits.MaxDiscardedFrameBytes);
        yield return Case(beyondDiscard, "close 1009 (MessageTooBig)").SetName("beyond the discard limit -> closed 1009");

        var missingComma = Call(type: 3);
        missingComma.SetSeparator(1, " ", isValid: false);
        yield return Case(missingComma, "no reply").SetName("[3 \"abc\" (no comma) -> the type is read: no reply");

        var garbageFirst = Call();
        garbageFirst.Elements[0] = FuzzValue.Invalid("02");
        yield return Case(garbageFirst, "reply \"-1\" with FormationViolation").SetName("invalid first element -> -1");

        var trailingGarbage = Call();
        trailingGarbage.Trailing = " x";
        trailingGarbage.TrailingIsValid = false;
        yield return Case(trailingGarbage, "reply \"abc\" with FormationViolation").SetName("text after the frame -> the id");

        yield return Case(new FuzzFrame { NonArrayText = "{\"action\":\"Heartbeat\"}" }, "reply \"-1\" with FormationViolation").SetName("an object -> -1");
    }

    [TestCaseSource(nameof(HandCheckedFrames))]
    public string Expected_outcome_of_a_hand_checked_frame(object frame, int? cut, WebSocketMessageType type, byte[]? invalid) =>
        FrameGenerator.Build((FuzzFrame)frame, Limits, type, cut, invalid).Expected.ToString();

    [Test]
    public void String_literals_read_back_as_the_same_code_units_whatever_the_escapes()
    {
        var random = new Random(5);
        string[] samples = ["plain", "quote \" back \\ slash /", "tab\tnew\nline", "é中😀", "\u0000\u001F\u007F", "\uFEFF\u2028", "lone \uD800 high", "lone \uDC00 low", "\uDE00\uD83D"];
        foreach (string sample in samples)
        {
            for (int i = 0; i < 20; i++)
            {
                string literal = FuzzText.Literal(sample, random);
                using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(literal));
                Assert.That(FuzzText.ReadString(document.RootElement), Is.EqualTo(sample), literal);
            }
        }
    }

    [Test]
    public void Printable_shows_every_byte_outside_printable_ascii()
    {
        Assert.That(FuzzText.Printable([(byte)'[', 0xFF, (byte)'"', 0x0A, 0xC3, 0xA9]), Is.EqualTo("[\\xFF\"\\x0A\\xC3\\xA9"));
        Assert.That(FuzzText.Printable(new byte[5000], 100), Does.Contain("[4900 bytes left out]"));
    }

    private static TestCaseData Case(FuzzFrame frame, string expected, int? cut = null, WebSocketMessageType type = WebSocketMessageType.Text, byte[]? invalid = null) =>
        new TestCaseData(frame, cut, type, invalid).Returns(expected);

    private static List<FuzzCase> Generate(int seed, int count)
    {
        var generator = new FrameGenerator(seed, Limits);
        return Enumerable.Range(0, count).Select(_ => generator.Next()).ToList();
    }

    private static string Fingerprint(FuzzCase c) =>
        $"{c.Index}|{c.Category}|{string.Join(";", c.Mutations)}|{Convert.ToBase64String(c.Bytes)}|{c.MessageType}|{string.Join("+", c.FragmentLengths)}|{c.Expected}";
}
