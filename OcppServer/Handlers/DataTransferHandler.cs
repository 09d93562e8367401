using System.Collections.Frozen;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Ocpp.Redaction;
using OcppServer.Storage.Repositories;

namespace OcppServer.Handlers;

/// <summary>Stores every DataTransfer (its data redacted where its vendor says so) and hands it to the extension registered for its vendorId.</summary>
public sealed class DataTransferHandler(
    IEnumerable<IVendorExtension> extensions,
    ChargePointRepository chargePoints,
    OcppPayloadRedaction redaction,
    TimeProvider time) : OcppCallHandler<DataTransferRequest, DataTransferResponse>
{
    private readonly FrozenDictionary<string, IVendorExtension> _extensions = extensions.ToFrozenDictionary(e => e.VendorId, StringComparer.Ordinal);

    public override string Action => "DataTransfer";

    public override async Task<DataTransferResponse> HandleAsync(OcppCallContext context, DataTransferRequest request, CancellationToken cancellationToken)
    {
        var response = _extensions.TryGetValue(request.VendorId, out var extension)
            ? await extension.HandleAsync(context, request, cancellationToken)
            : new DataTransferResponse(DataTransferStatus.UnknownVendorId);
        await chargePoints.RecordDataTransferAsync(
            context.ChargePointId, request.VendorId, request.MessageId, redaction.RedactDataTransferData(request.VendorId, request.MessageId, request.Data),
            response.Status.ToString(), time.GetUtcNow(), cancellationToken);
        return response;
    }
}

/// <summary>A vendor extension carried over DataTransfer, selected by its vendorId.</summary>
public interface IVendorExtension
{
    string VendorId { get; }

    Task<DataTransferResponse> HandleAsync(OcppCallContext context, DataTransferRequest request, CancellationToken cancellationToken);
}
