using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Charger;

namespace ChargePointSimulator.Demo;

public static partial class DemoAttacks
{
    private static async Task NoPreVerificationAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (await cast.ConnectAsync(verbose: false, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            await PresentGenuineFaceAsync(context, cast, ct);
            await ExpectRefusedAsync(context, cast, ct, "NoPreVerification");
        }
    }

    private static async Task ClonedPlateAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        string otherVin = context.NewVin();
        await context.Api.CreateVehicleAsync(otherVin, context.NewPlate(), cast.DriverId, ct);
        context.Report.Info($"second registered vehicle of the driver: VIN {otherVin}");
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, otherVin, ct);
            await PresentGenuineFaceAsync(context, cast, ct);
            await ExpectRefusedAsync(context, cast, ct, "VinDoesNotMatchPreVerifiedVehicle", "NoPreVerification");
        }
    }

    private static async Task ImpostorAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        string accomplice = $"{cast.PersonSeed}-accomplice";
        string accompliceId = await context.Api.CreateDriverAsync("Accomplice", $"{cast.IdTag}-X", ct);
        await context.Api.EnrollFaceAsync(accompliceId, context.Templates.Enrolled(accomplice), ct);
        context.Report.Info($"another enrolled driver {accompliceId} looks into the reader; the card is {cast.IdTag}'s");
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            var face = await cast.ChargePoint.PresentFaceAsync(cast.Reader, 1, context.Templates.GenuineSample(accomplice, 1), 0.97, ct);
            context.Report.Info($"BiometricToken of the accomplice's face: {face.Response.Status}{DemoJourney.ReasonText(face.Response)}");
            await ExpectRefusedAsync(context, cast, ct, "BiometricMatchesAnotherDriver", "NoMatch");
        }
    }

    private static async Task ReplayAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            var first = await cast.ChargePoint.PresentFaceAsync(cast.Reader, 1, cast.GenuineFace(), 0.97, ct);
            context.Report.Step("genuine token, first time", first.Response.Status == Ocpp.DataTransferStatus.Accepted, first.Response.Status.ToString());
            await SendBadTokenAsync(context, cast, "same token again", first.Token, ct);
            await ExpectRefusedAsync(context, cast, ct, "Replayed");
        }
    }

    private static async Task ForgedTokenAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            var claims = DemoTokens.Claims(cast.ChargePointId, 1, cast.GenuineFace(), context.Time.GetUtcNow(), TimeSpan.FromMinutes(2));
            await SendBadTokenAsync(context, cast, "forged signature", DemoTokens.Forged(claims, cast.Reader.KeyId), ct);
            await ExpectRefusedAsync(context, cast, ct, "BadSignature");
        }
    }

    private static async Task AlgNoneAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            var claims = DemoTokens.Claims(cast.ChargePointId, 1, cast.GenuineFace(), context.Time.GetUtcNow(), TimeSpan.FromMinutes(2));
            await SendBadTokenAsync(context, cast, "alg none", DemoTokens.AlgNone(claims, cast.Reader.KeyId), ct);
            await ExpectRefusedAsync(context, cast, ct, "AlgorithmNotAllowed");
        }
    }

    private static async Task OtherConnectorAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            string token = cast.Reader.CreateToken(cast.ChargePointId, 2, cast.GenuineFace(), 0.97, context.Time);
            await SendBadTokenAsync(context, cast, "token of connector 2 on connector 1", token, ct);
            await ExpectRefusedAsync(context, cast, ct, "ConnectorMismatch", "WrongConnector");
        }
    }

    private static async Task ExpiredTokenAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            var claims = DemoTokens.Claims(cast.ChargePointId, 1, cast.GenuineFace(), context.Time.GetUtcNow().AddMinutes(-10), TimeSpan.FromMinutes(2));
            await SendBadTokenAsync(context, cast, "expired token (genuine signature)", cast.Reader.Sign(claims), ct);
            await ExpectRefusedAsync(context, cast, ct, "Expired");
        }
    }

    private static async Task UnplugAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            await PresentGenuineFaceAsync(context, cast, ct);
            cast.ChargePoint.Unplug(1);
            context.Report.Info("cable unplugged (StatusNotification Available); the card is tapped afterwards");
            await ExpectRefusedAsync(context, cast, ct, "NoVinReported", "NoBiometricToken");
        }
    }

    private static async Task BlockedVehicleAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await context.Api.BlockVehicleAsync(cast.VehicleId, ct);
            context.Report.Info($"operator blocked vehicle {cast.VehicleId}");
            await PlugInAsync(context, cast, cast.Vin, ct);
            await PresentGenuineFaceAsync(context, cast, ct);
            await ExpectRefusedAsync(context, cast, ct, "VehicleBlocked");
        }
    }
}
