using Microsoft.Extensions.Options;

namespace OcppServer.Authorization.Biometrics;

public sealed record BiometricMatchResult(bool Matched, string Reason, string? DriverId, double? Similarity, double? RunnerUp);

/// <summary>
/// Matches a verified template: 1:1 against the driver already claimed at the charge point; when there is no claim,
/// or the claimed driver does not match (a stale claim from an earlier session, or someone else's face), 1:N over all
/// enrolled drivers, where the best must clear the threshold and beat the runner-up by the configured margin.
/// </summary>
public sealed class BiometricMatcher(TemplateGallery gallery, IOptionsMonitor<BiometricOptions> options)
{
    public async Task<BiometricMatchResult> MatchAsync(float[] template, string? claimedDriverId, double threshold, CancellationToken cancellationToken)
    {
        var probe = TemplateCodec.Normalize(template);
        if (probe is null)
        {
            return new BiometricMatchResult(false, "TemplateInvalid", null, null, null);
        }

        if (claimedDriverId is not null
            && await gallery.VerifyAsync(probe, claimedDriverId, cancellationToken) is { } claimedScore && claimedScore >= threshold)
        {
            return new BiometricMatchResult(true, "Matched", claimedDriverId, claimedScore, null);
        }

        var scores = await gallery.IdentifyAsync(probe, cancellationToken);
        if (scores.BestDriverId is null)
        {
            return new BiometricMatchResult(false, "NoEnrolledTemplates", null, null, null);
        }

        if (scores.Best < threshold)
        {
            return new BiometricMatchResult(false, "NoMatch", null, scores.Best, scores.RunnerUp);
        }

        if (scores.Best - scores.RunnerUp < options.CurrentValue.IdentificationMargin)
        {
            return new BiometricMatchResult(false, "Ambiguous", null, scores.Best, scores.RunnerUp);
        }

        return new BiometricMatchResult(true, "Matched", scores.BestDriverId, scores.Best, scores.RunnerUp);
    }
}
