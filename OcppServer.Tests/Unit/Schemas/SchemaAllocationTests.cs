using System.Text.Json;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>Validating a valid payload allocates nothing: it runs for every message at thousands of messages per second.</summary>
public sealed class SchemaAllocationTests
{
    private static readonly OcppSchemaValidator Validator = new();

    [TestCase("Heartbeat", "{}")]
    [TestCase("StatusNotification", """{"connectorId":1,"errorCode":"NoError","info":"Ventilation fan éteint","status":"Charging","timestamp":"2025-06-02T08:00:00.000Z"}""")]
    [TestCase("MeterValues", """
        {"connectorId":1,"transactionId":42,"meterValue":[{"timestamp":"2025-06-02T08:00:00+02:00","sampledValue":[
          {"value":"15230.5","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"Wh"},
          {"value":"7200","context":"Sample.Periodic","measurand":"Power.Active.Import","phase":"L1-N","unit":"W"}]}]}
        """)]
    [TestCase("StartTransaction", """{"connectorId":1,"idTag":"04A2B3C4D5E6F7","meterStart":15000,"reservationId":7,"timestamp":"2025-06-02T08:00:00.000Z"}""")]
    [TestCase("BootNotification", """{"chargePointVendor":"Vendor-X","chargePointModel":"Model-Y","firmwareVersion":"1.2.3-rc4","iccid":"8949000000000000001"}""")]
    [TestCase("DataTransfer", """{"vendorId":"org.ocppauth","messageId":"VehicleIdentification","data":"{\"connectorId\":1}"}""")]
    public void Valid_payload_allocates_nothing(string action, string payload)
    {
        var root = JsonDocument.Parse(payload).RootElement;
        Assert.That(Validator.ValidateRequest(action, root), Is.Null);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Validator.ValidateRequest(action, root);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Response_and_vendor_lookups_allocate_nothing()
    {
        var response = JsonDocument.Parse("""{"idTagInfo":{"status":"Accepted","expiryDate":"2025-06-03T08:00:00Z"},"transactionId":42}""").RootElement;
        var vendor = JsonDocument.Parse("""{"connectorId":1,"vin":"WVWZZZ1JZXW000001","protocol":"ISO15118-2"}""").RootElement;
        Assert.That((Validator.ValidateResponse("StartTransaction", response), Validator.ValidateVendor("VehicleIdentification", vendor)), Is.EqualTo(((SchemaViolation?)null, (SchemaViolation?)null)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Validator.ValidateResponse("StartTransaction", response);
            Validator.ValidateVendor("VehicleIdentification", vendor);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
