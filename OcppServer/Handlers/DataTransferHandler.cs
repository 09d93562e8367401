using System.Collections.Frozen;
using OcppServer.ChargePoints;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Ocpp.Redaction;

namespace OcppServer.Handlers;

/// <summary>Stores every DataTransfer (its data redacted where its vendor says so) and hands it to the extension registered for its vendorId.</summary>
public sealed class DataTransferHandler(
    IEnumerable<IVendorExtension> extensions,
    IChargePointStore chargePoints,
    OcppPayloadRedaction redaction,
    TimeProvider time) : OcppCallHandler<DataTransferRequest, DataTransferResponse>
{
    private readonly FrozenDictionary<string, IVendorExtension> _extensions = extensions.ToFrozenDictionary(e => e.VendorId, StringComparer.Ordinal);

    public override string Action => "DataTransfer";

    public override async Task<DataTransferResponse> HandleAsync(OcppCallContext context, DataTransferRequest request, CancellationToken cancellationToken)
    {
        // The status is the answer's, set by whoever logs the row.
        var transfer = new DataTransferRecord(
            context.ChargePointId, request.VendorId, request.MessageId, redaction.RedactDataTransferData(request.VendorId, request.MessageId, request.Data),
            Status: "", time.GetUtcNow());
        var reply = _extensions.TryGetValue(request.VendorId, out var extension)
            ? await extension.HandleAsync(context, request, transfer, cancellationToken)
            : new VendorReply(new DataTransferResponse(DataTransferStatus.UnknownVendorId), Logged: false);
        if (!reply.Logged)
        {
            await chargePoints.RecordDataTransferAsync(transfer with { Status = reply.Response.Status.ToString() }, cancellationToken);
        }

        return reply.Response;
    }
}

/// <summary>A vendor extension carried over DataTransfer, selected by its vendorId.</summary>
public interface IVendorExtension
{
    string VendorId { get; }

    /// <summary>
    /// Answers one DataTransfer. An extension that stores what the message says logs <paramref name="transfer"/> (the
    /// message as the log keeps it) in the same commit, with the status it answers, and says so in
    /// <see cref="VendorReply.Logged"/>; otherwise the handler logs it.
    /// </summary>
    Task<VendorReply> HandleAsync(OcppCallContext context, DataTransferRequest request, DataTransferRecord transfer, CancellationToken cancellationToken);
}

/// <summary>A vendor extension's answer, and whether it has logged the DataTransfer itself.</summary>
public sealed record VendorReply(DataTransferResponse Response, bool Logged);
