using System.Globalization;

namespace ChargePointSimulator.Fuzz;

/// <summary>
/// Valid, realistic request payloads of the ten actions a charge point sends in OCPP 1.6, varied per draw (optional
/// fields present or not, several meter values and phases, transaction data). The mutations start from these, so
/// that a frame breaks one rule at a time inside an otherwise plausible message.
/// </summary>
internal static class ValidPayloads
{
    public static readonly string[] Actions =
    [
        "Authorize", "BootNotification", "DataTransfer", "DiagnosticsStatusNotification", "FirmwareStatusNotification",
        "Heartbeat", "MeterValues", "StartTransaction", "StatusNotification", "StopTransaction",
    ];

    /// <summary>The actions a central system sends: a charge point that sends one gets NotSupported.</summary>
    public static readonly string[] CentralSystemActions =
    [
        "CancelReservation", "ChangeAvailability", "ChangeConfiguration", "ClearCache", "ClearChargingProfile",
        "GetCompositeSchedule", "GetConfiguration", "GetDiagnostics", "GetLocalListVersion", "RemoteStartTransaction",
        "RemoteStopTransaction", "ReserveNow", "Reset", "SendLocalList", "SetChargingProfile", "TriggerMessage",
        "UnlockConnector", "UpdateFirmware",
    ];

    private static readonly string[] ChargePointStatuses =
        ["Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted"];

    private static readonly string[] ChargePointErrorCodes =
    [
        "ConnectorLockFailure", "EVCommunicationError", "GroundFailure", "HighTemperature", "InternalError", "LocalListConflict",
        "NoError", "OtherError", "OverCurrentFailure", "PowerMeterFailure", "PowerSwitchFailure", "ReaderFailure",
        "ResetFailure", "UnderVoltage", "OverVoltage", "WeakSignal",
    ];

    private static readonly string[] StopReasons =
        ["EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other", "PowerLoss", "Reboot", "Remote", "SoftReset", "UnlockCommand", "DeAuthorized"];

    private static readonly string[] FirmwareStatuses =
        ["Downloaded", "DownloadFailed", "Downloading", "Idle", "InstallationFailed", "Installing", "Installed"];

    private static readonly string[] DiagnosticsStatuses = ["Idle", "Uploaded", "UploadFailed", "Uploading"];

    private static readonly string[] Contexts =
        ["Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger", "Other"];

    private static readonly string[] Phases = ["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"];

    private static readonly string[] Locations = ["Cable", "EV", "Inlet", "Outlet", "Body"];

    private static readonly string[] Formats = ["Raw", "SignedData"];

    /// <summary>Measurands with a unit that fits them.</summary>
    private static readonly (string Measurand, string Unit, bool Phased)[] Measurands =
    [
        ("Energy.Active.Import.Register", "Wh", false), ("Energy.Active.Import.Register", "kWh", false),
        ("Energy.Active.Export.Register", "Wh", false), ("Energy.Reactive.Import.Register", "varh", false),
        ("Energy.Active.Import.Interval", "Wh", false), ("Power.Active.Import", "W", true), ("Power.Active.Import", "kW", false),
        ("Power.Offered", "W", false), ("Power.Factor", "Percent", false), ("Current.Import", "A", true),
        ("Current.Offered", "A", false), ("Voltage", "V", true), ("Temperature", "Celsius", false),
        ("Temperature", "Celcius", false), ("SoC", "Percent", false),
    ];

    private static readonly string[] Vendors = ["ABB", "Alfen", "Wallbox", "Easee", "KEBA", "Zaptec", "Ekoenergetyka", "Elinta"];

    public static FuzzObject Create(string action, Random random) => action switch
    {
        "Authorize" => new FuzzObject().Add("idTag", Text(IdTag(random), 20, random)),
        "BootNotification" => Boot(random),
        "DataTransfer" => DataTransfer(random),
        "DiagnosticsStatusNotification" => new FuzzObject().Add("status", Enumeration(DiagnosticsStatuses, random)),
        "FirmwareStatusNotification" => new FuzzObject().Add("status", Enumeration(FirmwareStatuses, random)),
        "Heartbeat" => new FuzzObject(),
        "MeterValues" => MeterValues(random),
        "StartTransaction" => StartTransaction(random),
        "StatusNotification" => StatusNotification(random),
        "StopTransaction" => StopTransaction(random),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a charge point action"),
    };

    public static string Timestamp(Random random)
    {
        var at = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.Next(0, 60 * 60 * 24 * 365 * 2));
        return random.Next(4) switch
        {
            0 => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            1 => at.AddMilliseconds(random.Next(1000)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            2 => at.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            _ => at.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        };
    }

    private static string IdTag(Random random) => random.Next(3) switch
    {
        0 => Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()))[..random.Next(8, 15)],
        1 => $"RFID-{random.Next(100000):D5}",
        _ => $"04{random.Next(0x1000000):X6}{random.Next(0x1000000):X6}",
    };

    private static FuzzValue Text(string value, int? maxLength, Random random) =>
        FuzzValue.String(value, random, FuzzField.Text, maxLength);

    private static FuzzValue Enumeration(string[] values, Random random) =>
        FuzzValue.String(values[random.Next(values.Length)], random, FuzzField.Enumeration);

    private static FuzzValue Time(Random random) => FuzzValue.String(Timestamp(random), random, FuzzField.Timestamp);

    private static FuzzObject Boot(Random random)
    {
        string vendor = Vendors[random.Next(Vendors.Length)];
        var payload = new FuzzObject()
            .Add("chargePointVendor", Text(vendor, 20, random))
            .Add("chargePointModel", Text($"{vendor[..2].ToUpperInvariant()}-{random.Next(10, 99)}kW-{random.Next(1, 4)}", 20, random));
        AddSome(payload, random,
            ("chargePointSerialNumber", () => Text($"SN{random.Next(10_000_000):D8}", 25, random)),
            ("chargeBoxSerialNumber", () => Text($"CB-{random.Next(1_000_000):D6}", 25, random)),
            ("firmwareVersion", () => Text($"{random.Next(1, 6)}.{random.Next(20)}.{random.Next(100)}-build{random.Next(9999)}", 50, random)),
            ("iccid", () => Text($"8944{random.NextInt64(1_000_000_000_000_000):D15}", 20, random)),
            ("imsi", () => Text($"23410{random.NextInt64(10_000_000_000):D10}", 20, random)),
            ("meterType", () => Text(random.Next(2) == 0 ? "Eastron SDM630" : "ABB B23 112-100", 25, random)),
            ("meterSerialNumber", () => Text($"M{random.Next(100_000_000):D9}", 25, random)));
        return payload;
    }

    private static FuzzObject DataTransfer(Random random)
    {
        var payload = new FuzzObject().Add("vendorId", Text(random.Next(2) == 0 ? "com.example.fuzz" : "de.vendor.diagnostics", 255, random));
        AddSome(payload, random,
            ("messageId", () => Text(random.Next(2) == 0 ? "SetLedColour" : "ThermalReport", 50, random)),
            ("data", () => Text(random.Next(2) == 0 ? $"{{\"colour\":\"#{random.Next(0x1000000):X6}\"}}" : $"t1={random.Next(15, 80)};t2={random.Next(15, 80)}", null, random)));
        return payload;
    }

    private static FuzzObject MeterValues(Random random)
    {
        var payload = new FuzzObject().Add("connectorId", FuzzValue.Integer(random.Next(0, 3)));
        if (random.Next(2) == 0)
        {
            payload.Add("transactionId", FuzzValue.Integer(random.Next(1, 100_000)));
        }

        var meterValues = new FuzzArray();
        for (int i = random.Next(1, 3); i > 0; i--)
        {
            meterValues.Items.Add(MeterValue(random, context: null));
        }

        return payload.Add("meterValue", meterValues);
    }

    private static FuzzObject MeterValue(Random random, string? context)
    {
        var sampledValues = new FuzzArray();
        for (int i = random.Next(1, 4); i > 0; i--)
        {
            var (measurand, unit, phased) = Measurands[random.Next(Measurands.Length)];
            var sampled = new FuzzObject().Add("value", Text(SampleValue(measurand, random), null, random));
            if (random.Next(3) > 0)
            {
                sampled.Add("context", FuzzValue.String(context ?? Contexts[random.Next(Contexts.Length)], random, FuzzField.Enumeration));
            }

            if (random.Next(3) == 0)
            {
                sampled.Add("format", Enumeration(Formats[..1], random));
            }

            sampled.Add("measurand", FuzzValue.String(measurand, random, FuzzField.Enumeration));
            if (phased && random.Next(2) == 0)
            {
                sampled.Add("phase", Enumeration(Phases, random));
            }

            if (random.Next(2) == 0)
            {
                sampled.Add("location", Enumeration(Locations, random));
            }

            sampled.Add("unit", FuzzValue.String(unit, random, FuzzField.Enumeration));
            sampledValues.Items.Add(sampled);
        }

        return new FuzzObject().Add("timestamp", Time(random)).Add("sampledValue", sampledValues);
    }

    private static string SampleValue(string measurand, Random random) => measurand switch
    {
        "Voltage" => (228 + random.NextDouble() * 6).ToString("F1", CultureInfo.InvariantCulture),
        "SoC" => random.Next(0, 101).ToString(CultureInfo.InvariantCulture),
        "Power.Factor" => random.NextDouble().ToString("F2", CultureInfo.InvariantCulture),
        _ when measurand.StartsWith("Energy", StringComparison.Ordinal) => random.Next(0, 5_000_000).ToString(CultureInfo.InvariantCulture),
        _ => (random.NextDouble() * 32).ToString("F2", CultureInfo.InvariantCulture),
    };

    private static FuzzObject StartTransaction(Random random)
    {
        var payload = new FuzzObject()
            .Add("connectorId", FuzzValue.Integer(random.Next(1, 3)))
            .Add("idTag", Text(IdTag(random), 20, random))
            .Add("meterStart", FuzzValue.Integer(random.Next(0, 2_000_000)));
        if (random.Next(4) == 0)
        {
            payload.Add("reservationId", FuzzValue.Integer(random.Next(1, 1000)));
        }

        return payload.Add("timestamp", Time(random));
    }

    private static FuzzObject StatusNotification(Random random)
    {
        var payload = new FuzzObject()
            .Add("connectorId", FuzzValue.Integer(random.Next(0, 3)))
            .Add("errorCode", Enumeration(ChargePointErrorCodes, random))
            .Add("status", Enumeration(ChargePointStatuses, random));
        AddSome(payload, random,
            ("info", () => Text(random.Next(2) == 0 ? "cable lock ok" : "RCD self-test passed", 50, random)),
            ("timestamp", () => Time(random)),
            ("vendorId", () => Text("com.example.fuzz", 255, random)),
            ("vendorErrorCode", () => Text($"E{random.Next(1000):D3}", 50, random)));
        return payload;
    }

    private static FuzzObject StopTransaction(Random random)
    {
        var payload = new FuzzObject();
        if (random.Next(2) == 0)
        {
            payload.Add("idTag", Text(IdTag(random), 20, random));
        }

        payload.Add("meterStop", FuzzValue.Integer(random.Next(2_000_000, 9_000_000)))
            .Add("timestamp", Time(random))
            .Add("transactionId", FuzzValue.Integer(random.Next(1, 100_000)));
        if (random.Next(2) == 0)
        {
            payload.Add("reason", Enumeration(StopReasons, random));
        }

        if (random.Next(2) == 0)
        {
            payload.Add("transactionData", new FuzzArray(MeterValue(random, "Transaction.Begin"), MeterValue(random, "Transaction.End")));
        }

        return payload;
    }

    /// <summary>Adds each optional property with probability one half, in schema order.</summary>
    private static void AddSome(FuzzObject payload, Random random, params (string Name, Func<FuzzValue> Value)[] optional)
    {
        foreach (var (name, value) in optional)
        {
            if (random.Next(2) == 0)
            {
                payload.Add(name, value());
            }
        }
    }
}
