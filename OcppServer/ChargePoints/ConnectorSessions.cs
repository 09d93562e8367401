namespace OcppServer.ChargePoints;

/// <summary>
/// A connector session is the time a vehicle is at the connector: it opens with the first status that shows one
/// (Preparing, or Charging / SuspendedEV / SuspendedEVSE for a charger that skips Preparing) and ends with any other
/// status (Available, Faulted, Unavailable, Reserved, Finishing), a stop, a reboot or a reconnect. Evidence counts only
/// when it was received during the connector's current session, so a face shown at an empty connector, or a VIN
/// reported before the car now plugged in, never serves the next vehicle.
/// </summary>
public static class ConnectorSessions
{
    public static bool IsOccupied(string status) => status is "Preparing" or "Charging" or "SuspendedEV" or "SuspendedEVSE";
}
