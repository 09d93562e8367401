namespace OcppServer.Ocpp.Redaction;

/// <summary>
/// Says what of one vendor's DataTransfer <c>data</c> may be kept in the logs (the data_transfers table, the raw
/// message log). Data that carries secrets or biometric samples must come back without them.
/// </summary>
public interface IDataTransferRedactor
{
    string VendorId { get; }

    /// <summary>The data to store for <paramref name="messageId"/>: as received, with sensitive parts replaced, or null.</summary>
    string? Redact(string? messageId, string? data);
}
