namespace HighPerfBatch;

/// <summary>What an <see cref="HttpBatchSink{T}"/> makes of a response; the result of an <see cref="HttpResponseClassifier"/>.</summary>
public enum HttpResponseOutcome
{
    /// <summary>No opinion: the built-in rule for the status code applies.</summary>
    Default = 0,

    /// <summary>The receiver took the items.</summary>
    Delivered = 1,

    /// <summary>The request may succeed later: the batch is retried by the batcher, after <c>Retry-After</c> when the response has one.</summary>
    Transient = 2,

    /// <summary>Retrying the same items can never succeed: the batch is reported as failed at once.</summary>
    Permanent = 3,

    /// <summary>The body was too large (413): the items are split in halves and each half sent, down to one item.</summary>
    PayloadTooLarge = 4,
}

/// <summary>Decides what a response means, overriding the built-in rules of <see cref="HttpBatchSink{T}"/>.</summary>
/// <param name="response">The response; its body must not be read (the sink already read its first bytes).</param>
/// <param name="bodyExcerpt">
/// The first bytes of the body (at most <see cref="HttpBatchSendException.MaxBodyExcerptBytes"/>) decoded as UTF-8,
/// or an empty string.
/// </param>
/// <returns>The outcome, or <see cref="HttpResponseOutcome.Default"/> to keep the built-in rule.</returns>
public delegate HttpResponseOutcome HttpResponseClassifier(HttpResponseMessage response, string bodyExcerpt);
