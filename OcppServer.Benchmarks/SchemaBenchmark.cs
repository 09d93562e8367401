using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Benchmarks;

/// <summary>The <c>schemas</c> command: time and allocation of validating typical valid payloads.</summary>
internal static class SchemaBenchmark
{
    private const string Timestamp = "2025-06-02T08:00:00.000Z";

    private static readonly (string Action, string Payload)[] Payloads =
    [
        ("Heartbeat", "{}"),
        ("StatusNotification", $$"""{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"{{Timestamp}}"}"""),
        ("MeterValues", $$"""
            {"connectorId":1,"transactionId":42,"meterValue":[{"timestamp":"{{Timestamp}}","sampledValue":[
              {"value":"15230.5","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"Wh"},
              {"value":"7200","context":"Sample.Periodic","measurand":"Power.Active.Import","location":"Outlet","unit":"W"}]}]}
            """),
        ("StartTransaction", $$"""{"connectorId":1,"idTag":"04A2B3C4D5E6F7","meterStart":15000,"timestamp":"{{Timestamp}}"}"""),
        ("StopTransaction", $$"""
            {"idTag":"04A2B3C4D5E6F7","meterStop":27500,"timestamp":"{{Timestamp}}","transactionId":42,"reason":"Local","transactionData":[
              {"timestamp":"2025-06-02T07:00:00.000Z","sampledValue":[{"value":"15000","context":"Transaction.Begin","measurand":"Energy.Active.Import.Register","unit":"Wh"}]},
              {"timestamp":"{{Timestamp}}","sampledValue":[{"value":"27500","context":"Transaction.End","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}
            """),
        ("BootNotification", """
            {"chargePointVendor":"Vendor-X","chargePointModel":"Model-Y","chargePointSerialNumber":"CPSN-001","chargeBoxSerialNumber":"CBSN-002",
             "firmwareVersion":"1.2.3-rc4","iccid":"8949000000000000001","imsi":"262010000000001","meterType":"Meter-Z","meterSerialNumber":"MSN-003"}
            """),
        ("DataTransfer", """{"vendorId":"org.ocppauth","messageId":"VehicleIdentification","data":"{\"connectorId\":1,\"vin\":\"WVWZZZ1JZXW000001\"}"}"""),
    ];

    public static int Run(string[] args)
    {
        int iterations = args.Length == 2 && args[0] == "--iterations" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var validator = new OcppSchemaValidator();
        var documents = Payloads.Select(p => (p.Action, Document: JsonDocument.Parse(p.Payload))).ToArray();
        WarmUp(validator, documents);
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-20} {1,12} {2,16}", "action", "µs/validation", "bytes/validation"));
        foreach (var (action, document) in documents)
        {
            var (microseconds, bytes) = Measure(validator, action, document.RootElement, iterations);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-20} {1,12:0.00} {2,16:0}", action, microseconds, bytes));
            document.Dispose();
        }

        return 0;
    }

    // Long enough for the JIT to finish its optimised (tier-1) code for every payload before anything is measured.
    private static void WarmUp(OcppSchemaValidator validator, (string Action, JsonDocument Document)[] documents)
    {
        foreach (var (action, document) in documents)
        {
            if (validator.ValidateRequest(action, document.RootElement) is { } violation)
            {
                throw new InvalidOperationException($"{action} sample is invalid: {violation.Description}");
            }
        }

        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(2))
        {
            foreach (var (action, document) in documents)
            {
                Measure(validator, action, document.RootElement, 50);
            }
        }
    }

    private static (double Microseconds, double Bytes) Measure(OcppSchemaValidator validator, string action, JsonElement payload, int iterations)
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < iterations; i++)
        {
            validator.ValidateRequest(action, payload);
        }

        double elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return (elapsed / iterations, (double)allocated / iterations);
    }
}
