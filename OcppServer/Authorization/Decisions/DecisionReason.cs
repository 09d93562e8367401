namespace OcppServer.Authorization.Decisions;

/// <summary>
/// Why the gate decided as it did, for the decision and for each of its factors. Stored and shown by name (the names
/// are part of the API: never rename one); <see cref="DecisionReasons.Describe"/> says it in words.
/// </summary>
public enum DecisionReason
{
    /// <summary>A reason recorded by a version that knew one this version does not (shown as is).</summary>
    Unrecognised = 0,

    // The decision
    Accepted,
    AcceptedCameraOutage,
    NoFactorRequired,
    IdTagOnlyByOperator,
    NoLayeredPolicy,
    IdTagNotLinkedToDriver,
    DriverBlocked,
    EvidenceAlreadyConsumed,
    AmbiguousConnector,
    UntrustedChargePoint,
    HardeningNotConfirmed,
    NotRequired,

    // The id tag
    IdTagAccepted,
    IdTagBlocked,
    IdTagExpired,
    IdTagInvalid,
    IdTagConcurrentTx,

    // The vehicle's identity (VIN over ISO 15118)
    NoVinReported,
    InvalidVin,
    VehicleUnknown,
    VehicleBlocked,
    DriverNotAllowedForVehicle,
    VinMatched,

    // The entrance camera's pre-verification
    PreVerified,
    SkippedCameraOutage,
    CameraOutage,
    NoVerifiedVehicle,
    NoPreVerification,
    PreVerificationConsumed,
    PreVerificationAtOtherStation,
    PreVerificationExpired,
    PreVerificationUnknownVehicle,
    PreVerificationBlockedVehicle,
    PreVerificationUnreadable,
    PreVerificationLowConfidence,
    PreVerificationReplayed,
    PreVerificationCaptureTimeOutOfRange,
    VinDoesNotMatchPreVerifiedVehicle,

    // The driver's biometric token
    NoBiometricToken,
    BiometricMatched,
    BiometricMatchesAnotherDriver,
    MalformedToken,
    AlgorithmNotAllowed,
    UnsupportedCriticalHeader,
    MissingKeyId,
    UnknownKey,
    KeyOfAnotherChargePoint,
    BadSignature,
    MissingOrInvalidClaims,
    ChargePointMismatch,
    ConnectorMismatch,
    Expired,
    IssuedInFuture,
    LifetimeTooLong,
    ModalityNotSupported,
    LivenessTooLow,
    TemplateWrongLength,
    Replayed,
    TemplateInvalid,
    NoEnrolledTemplates,
    NoMatch,
    Ambiguous,
    Matched,
}

public static class DecisionReasons
{
    /// <summary>The reason a stored name stands for (<see cref="DecisionReason.Unrecognised"/> for a name this version does not know).</summary>
    public static DecisionReason Parse(string? name) =>
        Enum.TryParse<DecisionReason>(name, ignoreCase: false, out var reason) && Enum.IsDefined(reason) && !char.IsDigit(name![0])
            ? reason
            : DecisionReason.Unrecognised;

    /// <summary>The id tag's own status as a reason.</summary>
    public static DecisionReason ForIdTag(AuthorizationOutcome status) => status switch
    {
        AuthorizationOutcome.Accepted => DecisionReason.IdTagAccepted,
        AuthorizationOutcome.Blocked => DecisionReason.IdTagBlocked,
        AuthorizationOutcome.Expired => DecisionReason.IdTagExpired,
        AuthorizationOutcome.ConcurrentTx => DecisionReason.IdTagConcurrentTx,
        _ => DecisionReason.IdTagInvalid,
    };

    /// <summary>The pre-verification verdict of a record that did not pass, as a reason.</summary>
    public static DecisionReason ForPreVerificationVerdict(string verdict) => Parse("PreVerification" + verdict) switch
    {
        DecisionReason.Unrecognised => DecisionReason.NoPreVerification,
        var reason => reason,
    };

    /// <summary>The reason in words, for the operator.</summary>
    public static string Describe(DecisionReason reason) => reason switch
    {
        DecisionReason.Accepted => "Every factor the station requires agreed on the same driver and vehicle.",
        DecisionReason.AcceptedCameraOutage =>
            "Accepted without the entrance camera: the station's cameras are out and its policy lets charging go on without pre-verification (a risk).",
        DecisionReason.NoFactorRequired => "The station's policy requires no factor beyond a valid id tag.",
        DecisionReason.IdTagOnlyByOperator => "The operator set this charge point to be decided on its id tag alone (a risk).",
        DecisionReason.NoLayeredPolicy => "The charge point belongs to no station, so no layered policy applies: refused.",
        DecisionReason.IdTagNotLinkedToDriver => "The id tag belongs to no registered driver.",
        DecisionReason.DriverBlocked => "The driver is blocked.",
        DecisionReason.EvidenceAlreadyConsumed => "Another transaction consumed this evidence first.",
        DecisionReason.AmbiguousConnector =>
            "Two connectors hold complete evidence for this driver: the charger could start on either, so neither is authorised.",
        DecisionReason.UntrustedChargePoint => "The charger can start charging off line without asking (its offline hardening was refused).",
        DecisionReason.HardeningNotConfirmed => "The charger has not confirmed its offline hardening yet.",
        DecisionReason.NotRequired => "Not required by the station's policy.",
        DecisionReason.IdTagAccepted => "The id tag is valid.",
        DecisionReason.IdTagBlocked => "The id tag (or its group) is blocked.",
        DecisionReason.IdTagExpired => "The id tag (or its group) has expired.",
        DecisionReason.IdTagInvalid => "The id tag (or its group) is unknown or invalid.",
        DecisionReason.IdTagConcurrentTx => "The id tag is already charging elsewhere.",
        DecisionReason.NoVinReported => "The vehicle reported no VIN on this connector in its current session.",
        DecisionReason.InvalidVin => "The reported VIN is not a valid VIN.",
        DecisionReason.VehicleUnknown => "The reported VIN belongs to no registered vehicle.",
        DecisionReason.VehicleBlocked => "The vehicle is blocked.",
        DecisionReason.DriverNotAllowedForVehicle => "The driver may not drive the vehicle at the connector.",
        DecisionReason.VinMatched => "The VIN names a registered vehicle the driver may drive.",
        DecisionReason.PreVerified => "The entrance camera read this vehicle's plate at this station in time.",
        DecisionReason.SkippedCameraOutage => "Pre-verification skipped: the station's cameras are out and its policy allows it (a risk).",
        DecisionReason.CameraOutage => "The station's cameras are out and its policy requires pre-verification.",
        DecisionReason.NoVerifiedVehicle => "No vehicle to pre-verify: the VIN factor failed or names none.",
        DecisionReason.NoPreVerification => "No camera record of this vehicle at this station.",
        DecisionReason.PreVerificationConsumed => "The vehicle's pre-verification was already used by a transaction.",
        DecisionReason.PreVerificationAtOtherStation => "The vehicle was pre-verified at another station.",
        DecisionReason.PreVerificationExpired => "The vehicle's pre-verification is older than the station's window.",
        DecisionReason.PreVerificationUnknownVehicle => "The camera read a plate that belongs to no registered vehicle.",
        DecisionReason.PreVerificationBlockedVehicle => "The camera read the plate of a blocked vehicle.",
        DecisionReason.PreVerificationUnreadable => "The camera image could not be read.",
        DecisionReason.PreVerificationLowConfidence => "The camera read the plate with too little confidence.",
        DecisionReason.PreVerificationReplayed => "The camera sent an image this station had recorded before (a replay).",
        DecisionReason.PreVerificationCaptureTimeOutOfRange => "The camera's capture time is too far from the server's time.",
        DecisionReason.VinDoesNotMatchPreVerifiedVehicle =>
            "The plate read at the entrance belongs to another vehicle than the VIN at the charger (a cloned plate or a swapped car).",
        DecisionReason.NoBiometricToken => "No biometric token was given on this connector in its current session.",
        DecisionReason.BiometricMatched => "The biometric token identifies this driver.",
        DecisionReason.BiometricMatchesAnotherDriver => "The biometric token identifies another driver than the id tag's.",
        DecisionReason.MalformedToken => "The biometric token is not a well-formed signed token.",
        DecisionReason.AlgorithmNotAllowed => "The biometric token is not signed with ES256.",
        DecisionReason.UnsupportedCriticalHeader => "The biometric token has a critical header the server does not support.",
        DecisionReason.MissingKeyId => "The biometric token names no reader key.",
        DecisionReason.UnknownKey => "The biometric token is signed with an unregistered reader key.",
        DecisionReason.KeyOfAnotherChargePoint => "The biometric token is signed with another charge point's reader key.",
        DecisionReason.BadSignature => "The biometric token's signature is wrong.",
        DecisionReason.MissingOrInvalidClaims => "The biometric token lacks a required claim or has an invalid one.",
        DecisionReason.ChargePointMismatch => "The biometric token was made for another charge point.",
        DecisionReason.ConnectorMismatch => "The biometric token was made for another connector.",
        DecisionReason.Expired => "The biometric token has expired.",
        DecisionReason.IssuedInFuture => "The biometric token is issued in the future.",
        DecisionReason.LifetimeTooLong => "The biometric token's lifetime is longer than allowed.",
        DecisionReason.ModalityNotSupported => "The biometric token carries an unsupported modality.",
        DecisionReason.LivenessTooLow => "The reader's liveness score is too low (a photo or a mask).",
        DecisionReason.TemplateWrongLength => "The biometric template has the wrong length.",
        DecisionReason.Replayed => "The biometric token was used before (a replay).",
        DecisionReason.TemplateInvalid => "The biometric template is not a valid vector.",
        DecisionReason.NoEnrolledTemplates => "No driver has an enrolled biometric template.",
        DecisionReason.NoMatch => "The face matches no enrolled driver closely enough.",
        DecisionReason.Ambiguous => "The face matches two drivers too closely to tell them apart.",
        DecisionReason.Matched => "The face identifies one enrolled driver.",
        _ => "A reason this version does not know.",
    };
}
