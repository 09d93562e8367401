namespace OcppServer.ChargePoints;

/// <summary>Work to do once a charge point's BootNotification has been answered Accepted (e.g. pushing configuration).</summary>
public interface IChargePointBootObserver
{
    Task OnBootAcceptedAsync(string chargePointId, CancellationToken cancellationToken);
}
