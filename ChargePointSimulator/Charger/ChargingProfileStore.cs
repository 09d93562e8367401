using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>Electrical facts needed to convert between ampere and watt limits.</summary>
public readonly record struct SupplyCharacteristics(double Voltage, int Phases)
{
    public double ToWatts(double limit, ChargingRateUnit unit, int? phases = null) =>
        unit == ChargingRateUnit.W ? limit : limit * Voltage * (phases ?? Phases);

    public double FromWatts(double watts, ChargingRateUnit unit) => unit == ChargingRateUnit.W ? watts : watts / (Voltage * Phases);
}

/// <summary>What the smart-charging keys allow (ChargeProfileMaxStackLevel, ChargingScheduleMaxPeriods, …).</summary>
public sealed record ChargingProfileLimits(int MaxStackLevel, int MaxPeriods, int MaxInstalled, IReadOnlyList<string> AllowedUnits);

/// <summary>
/// Installed charging profiles (OCPP 1.6 §3.13): ChargePointMaxProfile on connector 0, TxDefaultProfile on connector 0 or
/// one connector, TxProfile for a running transaction. The limit in force is the highest stack level that is active,
/// per purpose; the TxProfile overrides the TxDefaultProfile and ChargePointMaxProfile caps both.
/// </summary>
public sealed class ChargingProfileStore
{
    private readonly List<InstalledProfile> _profiles = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _profiles.Count;
            }
        }
    }

    public ChargingProfileStatus Install(int connectorId, ChargingProfile profile, int? runningTransactionId, ChargingProfileLimits limits)
    {
        var schedule = profile.ChargingSchedule;
        bool valid = profile.ChargingProfilePurpose switch
        {
            ChargingProfilePurpose.ChargePointMaxProfile => connectorId == 0,
            ChargingProfilePurpose.TxProfile => connectorId > 0 && runningTransactionId is not null
                && (profile.TransactionId is null || profile.TransactionId == runningTransactionId),
            _ => true,
        };
        valid &= profile.StackLevel >= 0 && profile.StackLevel <= limits.MaxStackLevel
            && schedule.ChargingSchedulePeriod.Count is > 0 && schedule.ChargingSchedulePeriod.Count <= limits.MaxPeriods
            && limits.AllowedUnits.Contains(schedule.ChargingRateUnit == ChargingRateUnit.A ? "Current" : "Power")
            && (profile.ChargingProfileKind != ChargingProfileKind.Recurring || (profile.RecurrencyKind is not null && schedule.StartSchedule is not null))
            && (profile.ChargingProfileKind != ChargingProfileKind.Absolute || schedule.StartSchedule is not null)
            && schedule.ChargingSchedulePeriod.All(p => p.Limit >= 0 && p.StartPeriod >= 0);
        if (!valid)
        {
            return ChargingProfileStatus.Rejected;
        }

        lock (_lock)
        {
            _profiles.RemoveAll(p => p.Profile.ChargingProfileId == profile.ChargingProfileId
                || (p.ConnectorId == connectorId && p.Profile.StackLevel == profile.StackLevel
                    && p.Profile.ChargingProfilePurpose == profile.ChargingProfilePurpose));
            if (_profiles.Count >= limits.MaxInstalled)
            {
                return ChargingProfileStatus.Rejected;
            }

            _profiles.Add(new InstalledProfile(connectorId, profile));
            return ChargingProfileStatus.Accepted;
        }
    }

    /// <summary>ClearChargingProfile: removes the profiles matching every given criterion; returns how many.</summary>
    public int Clear(ClearChargingProfileRequest request)
    {
        lock (_lock)
        {
            return _profiles.RemoveAll(p =>
                (request.Id is null || p.Profile.ChargingProfileId == request.Id)
                && (request.ConnectorId is null || p.ConnectorId == request.ConnectorId)
                && (request.ChargingProfilePurpose is null || p.Profile.ChargingProfilePurpose == request.ChargingProfilePurpose)
                && (request.StackLevel is null || p.Profile.StackLevel == request.StackLevel));
        }
    }

    /// <summary>A transaction ended (or the charger rebooted): its TxProfiles go.</summary>
    public void RemoveTxProfiles(int? connectorId = null)
    {
        lock (_lock)
        {
            _profiles.RemoveAll(p => p.Profile.ChargingProfilePurpose == ChargingProfilePurpose.TxProfile
                && (connectorId is null || p.ConnectorId == connectorId));
        }
    }

    /// <summary>The limit in watts on <paramref name="connectorId"/> at <paramref name="at"/>, or null when no profile limits it.</summary>
    public double? LimitWatts(int connectorId, DateTimeOffset at, DateTimeOffset? transactionStart, SupplyCharacteristics supply)
    {
        List<InstalledProfile> snapshot;
        lock (_lock)
        {
            snapshot = [.. _profiles];
        }

        double? chargePointMax = Active(snapshot.Where(p => p.Profile.ChargingProfilePurpose == ChargingProfilePurpose.ChargePointMaxProfile), at, transactionStart, supply);
        double? transaction = null;
        if (connectorId > 0)
        {
            if (transactionStart is not null)
            {
                transaction = Active(snapshot.Where(p => p.ConnectorId == connectorId && p.Profile.ChargingProfilePurpose == ChargingProfilePurpose.TxProfile),
                    at, transactionStart, supply);
            }

            transaction ??= Active(snapshot.Where(p => p.ConnectorId == connectorId && p.Profile.ChargingProfilePurpose == ChargingProfilePurpose.TxDefaultProfile),
                at, transactionStart, supply)
                ?? Active(snapshot.Where(p => p.ConnectorId == 0 && p.Profile.ChargingProfilePurpose == ChargingProfilePurpose.TxDefaultProfile),
                    at, transactionStart, supply);
        }

        return (chargePointMax, transaction) switch
        {
            (null, null) => null,
            ({ } a, null) => a,
            (null, { } b) => b,
            ({ } a, { } b) => Math.Min(a, b),
        };
    }

    /// <summary>GetCompositeSchedule: the limits in force over [start, start + duration], merged into periods.</summary>
    public ChargingSchedule Composite(
        int connectorId, DateTimeOffset start, int durationSeconds, ChargingRateUnit unit, DateTimeOffset? transactionStart,
        SupplyCharacteristics supply, double maximumWatts)
    {
        List<InstalledProfile> snapshot;
        lock (_lock)
        {
            snapshot = [.. _profiles];
        }

        var end = start.AddSeconds(durationSeconds);
        var boundaries = new SortedSet<DateTimeOffset> { start };
        foreach (var installed in snapshot)
        {
            foreach (var boundary in Boundaries(installed.Profile, start, end, transactionStart))
            {
                if (boundary > start && boundary < end)
                {
                    boundaries.Add(boundary);
                }
            }
        }

        var periods = new List<ChargingSchedulePeriod>();
        foreach (var boundary in boundaries)
        {
            double watts = Math.Min(maximumWatts, LimitWatts(connectorId, boundary, transactionStart, supply) ?? maximumWatts);
            decimal limit = Math.Round((decimal)supply.FromWatts(watts, unit), 1);
            if (periods.Count == 0 || periods[^1].Limit != limit)
            {
                periods.Add(new ChargingSchedulePeriod((int)(boundary - start).TotalSeconds, limit));
            }
        }

        return new ChargingSchedule(unit, periods, durationSeconds, start);
    }

    private static double? Active(IEnumerable<InstalledProfile> candidates, DateTimeOffset at, DateTimeOffset? transactionStart, SupplyCharacteristics supply)
    {
        foreach (var candidate in candidates.OrderByDescending(p => p.Profile.StackLevel))
        {
            if (LimitAt(candidate.Profile, at, transactionStart) is { } period)
            {
                return supply.ToWatts((double)period.Limit, candidate.Profile.ChargingSchedule.ChargingRateUnit, period.NumberPhases);
            }
        }

        return null;
    }

    private static ChargingSchedulePeriod? LimitAt(ChargingProfile profile, DateTimeOffset at, DateTimeOffset? transactionStart)
    {
        if ((profile.ValidFrom is { } from && at < from) || (profile.ValidTo is { } to && at >= to))
        {
            return null;
        }

        if (ScheduleStart(profile, at, transactionStart) is not { } scheduleStart)
        {
            return null;
        }

        double offset = (at - scheduleStart).TotalSeconds;
        var schedule = profile.ChargingSchedule;
        if (offset < 0 || (schedule.Duration is { } duration && offset >= duration))
        {
            return null;
        }

        return schedule.ChargingSchedulePeriod.Where(p => p.StartPeriod <= offset).OrderBy(p => p.StartPeriod).LastOrDefault();
    }

    /// <summary>When the occurrence of the schedule that covers <paramref name="at"/> started.</summary>
    private static DateTimeOffset? ScheduleStart(ChargingProfile profile, DateTimeOffset at, DateTimeOffset? transactionStart)
    {
        var schedule = profile.ChargingSchedule;
        switch (profile.ChargingProfileKind)
        {
            case ChargingProfileKind.Absolute:
                return schedule.StartSchedule;
            case ChargingProfileKind.Relative:
                return transactionStart ?? at;
            default:
                var first = schedule.StartSchedule!.Value;
                var period = profile.RecurrencyKind == RecurrencyKind.Weekly ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);
                if (at < first)
                {
                    return first;
                }

                long occurrences = (at - first).Ticks / period.Ticks;
                return first + period * occurrences;
        }
    }

    private static IEnumerable<DateTimeOffset> Boundaries(ChargingProfile profile, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset? transactionStart)
    {
        if (profile.ValidFrom is { } from)
        {
            yield return from;
        }

        if (profile.ValidTo is { } to)
        {
            yield return to;
        }

        var cursor = windowStart;
        for (int occurrence = 0; occurrence < 64 && cursor < windowEnd; occurrence++)
        {
            if (ScheduleStart(profile, cursor, transactionStart ?? windowStart) is not { } start)
            {
                yield break;
            }

            foreach (var period in profile.ChargingSchedule.ChargingSchedulePeriod)
            {
                yield return start.AddSeconds(period.StartPeriod);
            }

            if (profile.ChargingSchedule.Duration is { } duration)
            {
                yield return start.AddSeconds(duration);
            }

            if (profile.ChargingProfileKind != ChargingProfileKind.Recurring)
            {
                yield break;
            }

            cursor = start + (profile.RecurrencyKind == RecurrencyKind.Weekly ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1));
            if (cursor < windowEnd)
            {
                yield return cursor;
            }
        }
    }

    private sealed record InstalledProfile(int ConnectorId, ChargingProfile Profile);
}
