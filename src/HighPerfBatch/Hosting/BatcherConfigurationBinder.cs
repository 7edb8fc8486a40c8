using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace HighPerfBatch;

/// <summary>
/// Reads the scalar settings of <see cref="BatcherOptions"/> from a configuration section, by hand: no reflection and no
/// interceptors, so it is trimming- and Native-AOT-safe on every SDK. (The configuration binding generator of
/// Microsoft.Extensions.Configuration.Binder 8.0 emits the path-based <c>InterceptsLocation</c> form that the .NET 9+
/// compilers reject with CS9270, and a newer Binder would force net8.0 users onto newer Microsoft.Extensions packages.)
/// </summary>
/// <remarks>
/// Keys are matched case-insensitively, like the configuration binder. Integers are invariant-culture whole numbers,
/// durations are <see cref="TimeSpan"/> strings (<c>00:00:00.200</c>, <c>1.00:00:00</c>), <c>FullMode</c> is an enum
/// name. A key that names no setting is an error, so a typo fails at start-up instead of being ignored.
/// </remarks>
internal static class BatcherConfigurationBinder
{
    /// <summary>The configuration keys, in the order the README lists them.</summary>
    internal static readonly string[] Keys =
    [
        nameof(BatcherOptions.MaxBatchSize),
        nameof(BatcherOptions.FlushInterval),
        nameof(BatcherOptions.Capacity),
        nameof(BatcherOptions.FullMode),
        nameof(BatcherOptions.MaxConcurrentSends),
        nameof(BatcherOptions.MaxRetries),
        nameof(BatcherOptions.RetryBaseDelay),
        nameof(BatcherOptions.MaxRetryDelay),
        nameof(BatcherOptions.ShutdownTimeout),
    ];

    /// <summary>
    /// Reads <paramref name="section"/>. Every problem (unknown key, value that does not convert) is added to
    /// <paramref name="errors"/> when it is given, naming the full configuration path; the settings that did convert are
    /// returned either way.
    /// </summary>
    public static BatcherSettings Read(IConfiguration section, List<string>? errors)
    {
        var settings = new BatcherSettings();
        foreach (var child in section.GetChildren())
        {
            var key = child.Key;
            var value = child.Value;
            if (value is null)
            {
                if (child.GetChildren().Any() || !IsKnown(key))
                {
                    errors?.Add(IsKnown(key)
                        ? $"'{child.Path}' must be a single value, not a section."
                        : UnknownKey(child.Path, key));
                }

                continue;
            }

            if (value.Length == 0 && IsKnown(key))
            {
                continue; // An empty value leaves the setting unset, as the configuration binder does for nullable settings.
            }

            if (Is(key, nameof(BatcherOptions.MaxBatchSize)))
            {
                settings.MaxBatchSize = ReadInt32(child.Path, value, errors);
            }
            else if (Is(key, nameof(BatcherOptions.FlushInterval)))
            {
                settings.FlushInterval = ReadTimeSpan(child.Path, value, errors);
            }
            else if (Is(key, nameof(BatcherOptions.Capacity)))
            {
                settings.Capacity = ReadInt32(child.Path, value, errors);
            }
            else if (Is(key, nameof(BatcherOptions.FullMode)))
            {
                settings.FullMode = ReadFullMode(child.Path, value, errors);
            }
            else if (Is(key, nameof(BatcherOptions.MaxConcurrentSends)))
            {
                settings.MaxConcurrentSends = ReadInt32(child.Path, value, errors);
            }
            else if (Is(key, nameof(BatcherOptions.MaxRetries)))
            {
                settings.MaxRetries = ReadInt32(child.Path, value, errors);
            }
            else if (Is(key, nameof(BatcherOptions.RetryBaseDelay)))
            {
                settings.RetryBaseDelay = ReadTimeSpan(child.Path, value, errors);
            }
            else if (Is(key, nameof(BatcherOptions.MaxRetryDelay)))
            {
                settings.MaxRetryDelay = ReadTimeSpan(child.Path, value, errors);
            }
            else if (Is(key, nameof(BatcherOptions.ShutdownTimeout)))
            {
                settings.ShutdownTimeout = ReadTimeSpan(child.Path, value, errors);
            }
            else
            {
                errors?.Add(UnknownKey(child.Path, key));
            }
        }

        return settings;
    }

    private static bool Is(string key, string setting) => string.Equals(key, setting, StringComparison.OrdinalIgnoreCase);

    private static bool IsKnown(string key) => Array.Exists(Keys, k => Is(key, k));

    private static string UnknownKey(string path, string key)
        => $"'{path}' is not a batcher setting ('{key}' is unknown); the settings are {string.Join(", ", Keys)}.";

    private static int? ReadInt32(string path, string value, List<string>? errors)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        errors?.Add($"'{path}' must be a whole number; it was '{value}'.");
        return null;
    }

    private static TimeSpan? ReadTimeSpan(string path, string value, List<string>? errors)
    {
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        errors?.Add($"'{path}' must be a duration such as 00:00:01.500 (hh:mm:ss.fff); it was '{value}'.");
        return null;
    }

    private static BatchFullMode? ReadFullMode(string path, string value, List<string>? errors)
    {
        if (Enum.TryParse<BatchFullMode>(value, ignoreCase: true, out var result) && Enum.IsDefined(result))
        {
            return result;
        }

        errors?.Add($"'{path}' must be one of {string.Join(", ", Enum.GetNames<BatchFullMode>())}; it was '{value}'.");
        return null;
    }
}
