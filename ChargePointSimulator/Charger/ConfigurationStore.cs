using System.Collections.Frozen;
using System.Globalization;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>
/// The charger's configuration keys (OCPP 1.6 §9), kept across reboots. The central system may change the writable ones
/// with valid values; read-only keys are Rejected, unknown keys NotSupported.
/// </summary>
public sealed class ConfigurationStore
{
    private readonly FrozenDictionary<string, ConfigurationKeyDefinition> _definitions;
    private readonly Dictionary<string, string> _values;
    private readonly List<string> _order;
    private readonly Lock _lock = new();

    public ConfigurationStore(IEnumerable<ConfigurationKeyDefinition> definitions, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var list = definitions.ToList();
        _definitions = list.ToFrozenDictionary(d => d.Key, StringComparer.OrdinalIgnoreCase);
        _order = list.Select(d => d.Key).ToList();
        _values = list.ToDictionary(d => d.Key, d => d.DefaultValue, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            if (!_definitions.TryGetValue(key, out var definition))
            {
                throw new ArgumentException($"Unknown configuration key {key}", nameof(overrides));
            }

            if (Validate(definition, value) is { } problem)
            {
                throw new ArgumentException($"Invalid value for {key}: {problem}", nameof(overrides));
            }

            _values[definition.Key] = value;
        }
    }

    /// <summary>Raised after a key changed (name, new value).</summary>
    public event Action<string, string>? Changed;

    public string? Get(string key)
    {
        lock (_lock)
        {
            return _values.GetValueOrDefault(key);
        }
    }

    public int GetInt(string key) => int.Parse(Get(key) ?? "0", CultureInfo.InvariantCulture);

    public bool GetBool(string key) => string.Equals(Get(key), "true", StringComparison.OrdinalIgnoreCase);

    public TimeSpan GetSeconds(string key) => TimeSpan.FromSeconds(GetInt(key));

    public IReadOnlyList<string> GetList(string key) =>
        (Get(key) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>ChangeConfiguration: Accepted, RebootRequired, Rejected (read-only or invalid value) or NotSupported (unknown key).</summary>
    public ConfigurationStatus Change(string key, string value)
    {
        if (!_definitions.TryGetValue(key, out var definition))
        {
            return ConfigurationStatus.NotSupported;
        }

        if (definition.ReadOnly || Validate(definition, value) is not null)
        {
            return ConfigurationStatus.Rejected;
        }

        if (definition.Kind == ConfigurationValueKind.Boolean)
        {
            value = value.ToLowerInvariant();
        }

        bool changed;
        lock (_lock)
        {
            changed = _values[definition.Key] != value;
            _values[definition.Key] = value;
        }

        if (changed)
        {
            Changed?.Invoke(definition.Key, value);
        }

        return definition.RebootRequired && changed ? ConfigurationStatus.RebootRequired : ConfigurationStatus.Accepted;
    }

    /// <summary>GetConfiguration: the requested keys (all when none are named) and the names this charger does not know.</summary>
    public GetConfigurationResponse Read(IReadOnlyList<string>? keys)
    {
        lock (_lock)
        {
            if (keys is null || keys.Count == 0)
            {
                return new GetConfigurationResponse(_order.Select(k => ToKeyValue(_definitions[k])).ToList(), null);
            }

            var known = new List<KeyValue>();
            var unknown = new List<string>();
            foreach (string key in keys.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (_definitions.TryGetValue(key, out var definition))
                {
                    known.Add(ToKeyValue(definition));
                }
                else
                {
                    unknown.Add(key);
                }
            }

            return new GetConfigurationResponse(known.Count > 0 ? known : null, unknown.Count > 0 ? unknown : null);
        }
    }

    private KeyValue ToKeyValue(ConfigurationKeyDefinition definition) => new(definition.Key, definition.ReadOnly, _values[definition.Key]);

    private string? Validate(ConfigurationKeyDefinition definition, string value)
    {
        if (value.Length > 500)
        {
            return "longer than 500 characters";
        }

        switch (definition.Kind)
        {
            case ConfigurationValueKind.Boolean:
                return value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase)
                    ? null
                    : "expected true or false";
            case ConfigurationValueKind.Integer:
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : "expected a non-negative integer";
            case ConfigurationValueKind.MeasurandList:
                var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (items.FirstOrDefault(i => !Measurands.Supported.Contains(i)) is { } unsupported)
                {
                    return $"unsupported measurand {unsupported}";
                }

                if (definition.MaxLengthKey is { } maxKey && items.Length > int.Parse(_values[maxKey], CultureInfo.InvariantCulture))
                {
                    return $"more than {maxKey} measurands";
                }

                return null;
            default:
                return null;
        }
    }
}
