using OcppServer.Authorization;
using OcppServer.Authorization.Decisions;

namespace OcppServer.Tests.Unit;

public sealed class DecisionReasonTests
{
    private static IEnumerable<DecisionReason> Known => Enum.GetValues<DecisionReason>().Where(r => r != DecisionReason.Unrecognised);

    [Test]
    public void Every_reason_is_said_in_words_of_its_own()
    {
        string fallback = DecisionReasons.Describe(DecisionReason.Unrecognised);
        var texts = Known.ToDictionary(r => r, DecisionReasons.Describe);

        Assert.That(texts.Where(t => t.Value == fallback).Select(t => t.Key), Is.Empty, "each reason has its own text");
        Assert.That(texts.Values.Distinct().Count(), Is.EqualTo(texts.Count), "no two reasons share a text");
    }

    [Test]
    public void A_stored_name_reads_back_as_its_reason_and_anything_else_as_unrecognised()
    {
        Assert.That(Known.Select(r => DecisionReasons.Parse(r.ToString())), Is.EqualTo(Known));
        Assert.That(new[] { null, "", "7", "-1", "accepted", "SomethingNew" }.Select(DecisionReasons.Parse), Is.All.EqualTo(DecisionReason.Unrecognised));
    }

    [TestCase(AuthorizationOutcome.Accepted, DecisionReason.IdTagAccepted)]
    [TestCase(AuthorizationOutcome.Blocked, DecisionReason.IdTagBlocked)]
    [TestCase(AuthorizationOutcome.Expired, DecisionReason.IdTagExpired)]
    [TestCase(AuthorizationOutcome.Invalid, DecisionReason.IdTagInvalid)]
    [TestCase(AuthorizationOutcome.ConcurrentTx, DecisionReason.IdTagConcurrentTx)]
    public void An_id_tags_status_names_its_reason(AuthorizationOutcome status, DecisionReason reason) =>
        Assert.That(DecisionReasons.ForIdTag(status), Is.EqualTo(reason));

    [TestCase("UnknownVehicle", DecisionReason.PreVerificationUnknownVehicle)]
    [TestCase("Replayed", DecisionReason.PreVerificationReplayed)]
    [TestCase("CaptureTimeOutOfRange", DecisionReason.PreVerificationCaptureTimeOutOfRange)]
    [TestCase("SomeFutureVerdict", DecisionReason.NoPreVerification)]
    public void A_failed_pre_verification_verdict_names_its_reason(string verdict, DecisionReason reason) =>
        Assert.That(DecisionReasons.ForPreVerificationVerdict(verdict), Is.EqualTo(reason));
}
