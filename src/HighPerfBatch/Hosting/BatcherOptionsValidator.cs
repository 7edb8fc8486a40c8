using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HighPerfBatch;

/// <summary>
/// Validates the named <see cref="BatcherOptions"/> of one batcher, at start-up (<c>ValidateOnStart</c>) and whenever
/// they are first read. It reports, naming the configuration key: keys that are not settings, values that do not
/// convert, values out of range (the rules of <see cref="BatcherOptions.Validate"/>, with <typeparamref name="T"/>'s
/// <c>[Batched]</c> defaults applied), and a missing sink.
/// </summary>
internal sealed class BatcherOptionsValidator<T> : IValidateOptions<BatcherOptions>
    where T : IBatchable<T>
{
    private readonly BatcherRegistration<T> _registration;

    public BatcherOptionsValidator(BatcherRegistration<T> registration) => _registration = registration;

    public ValidateOptionsResult Validate(string? name, BatcherOptions options)
    {
        if (!string.Equals(name, _registration.Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        foreach (var section in _registration.Sections)
        {
            BatcherConfigurationBinder.Read(section, errors);
        }

        if (errors.Count == 0)
        {
            try
            {
                options.ValidatedCopy(T.DefaultMaxBatchSize, T.DefaultFlushInterval);
            }
            catch (ArgumentException ex)
            {
                errors.Add(Describe(ex));
            }
        }

        if (_registration.SinkFactory is null)
        {
            errors.Add(BatcherRegistration<T>.MissingSinkMessage);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Names where the bad value came from: the last bound section that holds the key, or the code.</summary>
    private string Describe(ArgumentException ex)
    {
        var rule = ex.Message;
        var cut = rule.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0)
        {
            rule = rule[..cut];
        }

        var key = ex.ParamName;
        if (key is not null)
        {
            for (var i = _registration.Sections.Count - 1; i >= 0; i--)
            {
                var section = _registration.Sections[i];
                if (section[key] is { Length: > 0 } value)
                {
                    var path = section is IConfigurationSection s ? s.Path + ":" + key : key;
                    return $"Configuration '{path}' = '{value}' is invalid for the batcher of {typeof(T).FullName}: {rule}";
                }
            }
        }

        return $"Invalid options for the batcher of {typeof(T).FullName}: {rule}";
    }
}
