using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Authorization.Decisions;
using OcppServer.Authorization.Hardening;
using OcppServer.ChargePoints;
using OcppServer.Commands;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Ocpp.Redaction;
using OcppServer.Operators;
using OcppServer.Security;
using OcppServer.Transactions;

namespace OcppServer.Dashboard.Pages.ChargePoints;

/// <summary>
/// The fields of the remote command forms, as text: each is put in the request payload under its camelCase name (a
/// whole number as a JSON number) and the payload checked by the API's own handler against the action's schema, so a
/// form is refused with the message the API gives, next to the field it names.
/// </summary>
public sealed class CommandInput
{
    public string? Type { get; set; }
    public string? ConnectorId { get; set; }
    public string? IdTag { get; set; }
    public string? TransactionId { get; set; }
    public string? Key { get; set; }
    public string? Value { get; set; }
    public string? RequestedMessage { get; set; }
    public string? VendorId { get; set; }
    public string? MessageId { get; set; }
    public string? Data { get; set; }
}

/// <summary>How a form's field goes into the payload.</summary>
public enum CommandFieldKind
{
    /// <summary>A whole number as a JSON number (other text is sent as text, which the schema refuses).</summary>
    Integer,
    Text,

    /// <summary>Names separated by commas or lines, as a JSON array.</summary>
    TextList,
}

public sealed record CommandField(string Name, CommandFieldKind Kind);

/// <summary>The charger's answer to a command sent from this page.</summary>
public sealed record CommandAnswer(string Action, JsonElement Payload)
{
    public string? Status => Payload.ValueKind == JsonValueKind.Object && Payload.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String
        ? s.GetString() : null;

    public string Json => JsonSerializer.Serialize(Payload, Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}

/// <summary>
/// One charge point: what it told us (boot, heartbeat, connectors, offline hardening), how it is secured, what it did
/// recently (sessions, decisions, security events, commands, raw frames when the message log is on), and, for
/// operators, remote commands sent through the API's own handler with the charger's answer shown.
/// </summary>
public sealed class DetailModel(
    IChargePointStore chargePoints, IHardeningStore hardening, ChargePointConnectionRegistry connections, ITransactionStore transactions,
    IDecisionStore decisions, ISecurityEventLog securityEvents, ICommandLog commandLog, IOcppMessageLog messageLog,
    ChargePointCommandService commands, IChargePointCalls chargers, AuthorizationKeyRotation rotation, SecurityProfileUpgrade upgrade,
    ChargePointCertificateAuthority certificates, OcppPayloadRedaction redaction) : DashboardPageModel
{
    public const int RecentCount = 10;
    public const int MessageCount = 25;

    /// <summary>The commands this page sends, with their payload fields in order.</summary>
    public static readonly IReadOnlyDictionary<string, CommandField[]> CommandForms = new Dictionary<string, CommandField[]>(StringComparer.Ordinal)
    {
        ["Reset"] = [new("type", CommandFieldKind.Text)],
        ["UnlockConnector"] = [new("connectorId", CommandFieldKind.Integer)],
        ["RemoteStartTransaction"] = [new("connectorId", CommandFieldKind.Integer), new("idTag", CommandFieldKind.Text)],
        ["RemoteStopTransaction"] = [new("transactionId", CommandFieldKind.Integer)],
        ["ChangeConfiguration"] = [new("key", CommandFieldKind.Text), new("value", CommandFieldKind.Text)],
        ["GetConfiguration"] = [new("key", CommandFieldKind.TextList)],
        ["TriggerMessage"] = [new("requestedMessage", CommandFieldKind.Text), new("connectorId", CommandFieldKind.Integer)],
        ["ClearCache"] = [],
        ["ChangeAvailability"] = [new("connectorId", CommandFieldKind.Integer), new("type", CommandFieldKind.Text)],
        ["DataTransfer"] = [new("vendorId", CommandFieldKind.Text), new("messageId", CommandFieldKind.Text), new("data", CommandFieldKind.Text)],
    };

    public static readonly string[] TriggerMessages =
        ["BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StatusNotification"];

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty]
    public CommandInput Command { get; set; } = new();

    /// <summary>Which form was sent (an action, or an action and a variant such as ChangeAvailability-Inoperative).</summary>
    [BindProperty]
    public string? Form { get; set; }

    public ChargePointView ChargePoint { get; private set; } = null!;

    public IReadOnlyList<TransactionRecord> Sessions { get; private set; } = [];

    public IReadOnlyList<DecisionRecord> Decisions { get; private set; } = [];

    public IReadOnlyList<SecurityEventRecord> SecurityEvents { get; private set; } = [];

    public IReadOnlyList<LoggedCommand> Commands { get; private set; } = [];

    public IReadOnlyList<LoggedMessage> Messages { get; private set; } = [];

    public bool MessageLogEnabled => messageLog.Enabled;

    public CommandAnswer? Answer { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    [RequiresRole(OperatorRole.Operator)]
    public async Task<IActionResult> OnPostCommandAsync(CancellationToken cancellationToken)
    {
        string? action = Form?.Split('-')[0];
        if (action is null || !CommandForms.TryGetValue(action, out var fields))
        {
            ModelState.AddModelError("", $"{action} is not a command this page sends.");
            await AuditAsync("command." + action, Id, null, "refused: unknown command");
        }
        else
        {
            var payload = Payload(fields, Command);
            string detail = redaction.RedactCallPayload(action, payload);
            var result = await CommandsApi.SendPayloadAsync(
                Id, action, payload, commands, chargePoints, chargers, rotation, upgrade, certificates, cancellationToken);
            var answer = await RunApiAsync<object>(result, "command." + action, Id, detail, prefix: "Command");
            ShowUnplacedErrors(fields);
            if (answer is not null)
            {
                Answer = new CommandAnswer(action, answer is JsonElement element ? element : JsonSerializer.SerializeToElement(answer));
            }
        }

        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    /// <summary>An error about a property the form has no field for is shown for the whole form instead.</summary>
    private void ShowUnplacedErrors(CommandField[] fields)
    {
        var placed = fields.Select(f => "Command." + InputName(f.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, entry) in ModelState.Where(e => e.Key.StartsWith("Command.", StringComparison.Ordinal) && !placed.Contains(e.Key)).ToList())
        {
            foreach (var error in entry?.Errors.ToList() ?? [])
            {
                ModelState.AddModelError("", error.ErrorMessage);
            }

            ModelState.Remove(key);
        }
    }

    /// <summary>The request payload the form's fields make (empty fields left out: the schema says which are required).</summary>
    public static JsonElement Payload(IEnumerable<CommandField> fields, CommandInput input)
    {
        var payload = new JsonObject();
        foreach (var field in fields)
        {
            string? text = FieldValue(input, field.Name);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            payload[field.Name] = field.Kind switch
            {
                CommandFieldKind.Integer when long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) =>
                    JsonValue.Create(number),
                CommandFieldKind.TextList => new JsonArray(text.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(k => (JsonNode)JsonValue.Create(k)!).ToArray()),
                CommandFieldKind.Integer => JsonValue.Create(text.Trim()),
                _ => JsonValue.Create(text),
            };
        }

        return JsonSerializer.SerializeToElement(payload);
    }

    private static string? FieldValue(CommandInput input, string name) => name switch
    {
        "type" => input.Type,
        "connectorId" => input.ConnectorId,
        "idTag" => input.IdTag,
        "transactionId" => input.TransactionId,
        "key" => input.Key,
        "value" => input.Value,
        "requestedMessage" => input.RequestedMessage,
        "vendorId" => input.VendorId,
        "messageId" => input.MessageId,
        "data" => input.Data,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such command field"),
    };

    /// <summary>The form name of a payload field (<c>connectorId</c>: <c>ConnectorId</c>, bound to <see cref="Command"/>).</summary>
    public static string InputName(string field) => char.ToUpperInvariant(field[0]) + field[1..];

    /// <summary>The error of a field of the form <paramref name="form"/>, when that form was the one sent.</summary>
    public string? FieldError(string form, string field)
    {
        if (!string.Equals(Form, form, StringComparison.Ordinal))
        {
            return null;
        }

        string key = "Command." + char.ToUpperInvariant(field[0]) + field[1..];
        return ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;
    }

    /// <summary>The value a field of the form <paramref name="form"/> had when it was sent (kept when it is shown again).</summary>
    public string? Sent(string form, string field) =>
        string.Equals(Form, form, StringComparison.Ordinal) ? FieldValue(Command, field) : null;

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await ChargePointsApi.GetAsync(Id, chargePoints, hardening, connections, cancellationToken) is not Ok<ChargePointView> { Value: { } view })
        {
            return false;
        }

        ChargePoint = view;
        Sessions = await transactions.ListAsync(Id, RecentCount, cancellationToken);
        Decisions = await decisions.ListAsync(Id, RecentCount, cancellationToken);
        SecurityEvents = await securityEvents.ListAsync(Id, RecentCount, cancellationToken);
        Commands = await commandLog.ListAsync(Id, RecentCount, cancellationToken);
        Messages = messageLog.Enabled ? await messageLog.ListAsync(Id, MessageCount, cancellationToken) : [];
        return true;
    }
}
