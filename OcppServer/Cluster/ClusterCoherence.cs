using OcppServer.Authorization.Biometrics;
using OcppServer.Authorization.Hardening;
using OcppServer.Security;
using OcppServer.Storage;

namespace OcppServer.Cluster;

/// <summary>
/// What one node keeps in memory and another node can change: the registry cache, chargers' trust verdicts, the
/// enrolled templates, and the count of failed attempts at each credential. A change on one node is announced to every
/// other node, which drops (or counts) it too. Announcements travel in milliseconds; until one arrives a node may
/// still use what it had, as a node would while the write was committing.
/// </summary>
public sealed class ClusterCoherence(
    RedisClusterBus bus,
    IRelationalDatabase database,
    ChargerTrust trust,
    TemplateGallery templates,
    CredentialFailureLimiter failures) : IHostedService
{
    private const string RegistryTopic = "registry";
    private const string TrustTopic = "trust";
    private const string TemplatesTopic = "templates";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        bus.On(ClusterMessage.Invalidate, message =>
        {
            switch (message.Topic)
            {
                case RegistryTopic:
                    database.Registry.InvalidateFromElsewhere();
                    break;
                case TrustTopic when message.ChargePointId is { } id:
                    trust.ForgetHere(id);
                    break;
                case TemplatesTopic:
                    templates.Reset();
                    break;
            }

            return Task.CompletedTask;
        });
        bus.On(ClusterMessage.CredentialFailure, message =>
        {
            if (message.Credential is { } credential)
            {
                failures.RecordFailureHere(credential, message.Address);
            }

            return Task.CompletedTask;
        });

        database.Registry.Invalidated += OnRegistryChanged;
        trust.Forgotten += OnTrustForgotten;
        templates.Changed += OnTemplatesChanged;
        failures.FailureRecorded += OnFailure;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        database.Registry.Invalidated -= OnRegistryChanged;
        trust.Forgotten -= OnTrustForgotten;
        templates.Changed -= OnTemplatesChanged;
        failures.FailureRecorded -= OnFailure;
        return Task.CompletedTask;
    }

    private void OnRegistryChanged() => bus.BroadcastInBackground(new ClusterMessage(ClusterMessage.Invalidate, bus.NodeId, Topic: RegistryTopic));

    private void OnTrustForgotten(string chargePointId) =>
        bus.BroadcastInBackground(new ClusterMessage(ClusterMessage.Invalidate, bus.NodeId, chargePointId, Topic: TrustTopic));

    private void OnTemplatesChanged() => bus.BroadcastInBackground(new ClusterMessage(ClusterMessage.Invalidate, bus.NodeId, Topic: TemplatesTopic));

    private void OnFailure(string credential, string? address) =>
        bus.BroadcastInBackground(new ClusterMessage(ClusterMessage.CredentialFailure, bus.NodeId, Credential: credential, Address: address));
}
