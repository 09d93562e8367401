using System.Collections.Concurrent;
using OcppServer.Authorization.Decisions;

namespace OcppServer.Authorization.Hardening;

/// <summary>
/// Whether a charger is known to have closed its offline bypass paths, asked on every layered decision. The verdict
/// changes only when the charger answers its hardening (<see cref="OfflineBypassHardening"/>, which calls
/// <see cref="Forget"/> once the answer is stored), so it is kept in memory between answers instead of read again for
/// every decision. A verdict read while an answer was being stored is not kept (it may be the old one).
/// </summary>
public sealed class ChargerTrust(IHardeningStore hardening)
{
    /// <summary>Bound on kept verdicts (one per charge point).</summary>
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, string> _untrustedReasons = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    private const string Trusted = "";

    /// <summary>Null when the charger closed its offline bypass paths; otherwise why it is not trusted.</summary>
    public async Task<string?> UntrustedReasonAsync(string chargePointId, CancellationToken cancellationToken)
    {
        if (_untrustedReasons.TryGetValue(chargePointId, out string? cached))
        {
            return cached.Length == 0 ? null : cached;
        }

        long version;
        lock (_gate)
        {
            version = _version;
        }

        var answers = await hardening.GetAsync(chargePointId, cancellationToken);
        string verdict = answers.Count == 0 ? "HardeningNotConfirmed"
            : OfflineBypassHardening.IsBypassPossible(answers) ? "UntrustedChargePoint"
            : Trusted;
        lock (_gate)
        {
            if (_version == version && _untrustedReasons.Count < MaxEntries)
            {
                _untrustedReasons[chargePointId] = verdict;
            }
        }

        return verdict.Length == 0 ? null : verdict;
    }

    /// <summary>The charger answered its hardening (the answer is stored): its verdict is read again next time.</summary>
    public void Forget(string chargePointId)
    {
        lock (_gate)
        {
            _version++;
            _untrustedReasons.TryRemove(chargePointId, out _);
        }
    }
}
