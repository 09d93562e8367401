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

    private readonly ConcurrentDictionary<string, DecisionReason?> _untrustedReasons = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    /// <summary>Null when the charger closed its offline bypass paths; otherwise why it is not trusted.</summary>
    public async Task<DecisionReason?> UntrustedReasonAsync(string chargePointId, CancellationToken cancellationToken)
    {
        if (_untrustedReasons.TryGetValue(chargePointId, out var cached))
        {
            return cached;
        }

        long version;
        lock (_gate)
        {
            version = _version;
        }

        var answers = await hardening.GetAsync(chargePointId, cancellationToken);
        DecisionReason? verdict = answers.Count == 0 ? DecisionReason.HardeningNotConfirmed
            : OfflineBypassHardening.IsBypassPossible(answers) ? DecisionReason.UntrustedChargePoint
            : null;
        lock (_gate)
        {
            if (_version == version && _untrustedReasons.Count < MaxEntries)
            {
                _untrustedReasons[chargePointId] = verdict;
            }
        }

        return verdict;
    }

    /// <summary>Raised when this node forgot a verdict (other nodes must forget theirs).</summary>
    public event Action<string>? Forgotten;

    /// <summary>The charger answered its hardening (the answer is stored): its verdict is read again next time.</summary>
    public void Forget(string chargePointId)
    {
        ForgetHere(chargePointId);
        Forgotten?.Invoke(chargePointId);
    }

    /// <summary>Forgets a verdict on this node only (another node stored the answer).</summary>
    public void ForgetHere(string chargePointId)
    {
        lock (_gate)
        {
            _version++;
            _untrustedReasons.TryRemove(chargePointId, out _);
        }
    }
}
