namespace OcppServer.ChargePoints;

/// <summary>Values of <c>charge_points.registration_status</c>; the same words as OCPP's RegistrationStatus.</summary>
public static class RegistrationStatuses
{
    public const string Accepted = "Accepted";
    public const string Pending = "Pending";
    public const string Rejected = "Rejected";
}
