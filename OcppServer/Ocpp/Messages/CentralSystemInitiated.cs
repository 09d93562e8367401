namespace OcppServer.Ocpp.Messages;

// Requests the central system sends to a charge point that the server itself composes (OCPP 1.6 §5).
// Operators' commands through the API are passed through as validated JSON and need no records.

public sealed record ChangeConfigurationRequest(string Key, string Value);
public sealed record ChangeConfigurationResponse(string Status);

public sealed record ResetRequest(string Type);
public sealed record ResetResponse(string Status);

public sealed record ClearCacheRequest;
public sealed record ClearCacheResponse(string Status);

public sealed record RemoteStartTransactionRequest(string IdTag, int? ConnectorId = null, ChargingProfile? ChargingProfile = null);
public sealed record RemoteStartTransactionResponse(string Status);

public sealed record RemoteStopTransactionRequest(int TransactionId);
public sealed record RemoteStopTransactionResponse(string Status);

// OCPP 1.6 security whitepaper (edition 3): the certificate chain signed for the charger's SignCertificate.
public sealed record CertificateSignedRequest(string CertificateChain);
public sealed record CertificateSignedResponse(string Status);
