using System.Buffers;
using Shop.Telemetry;

namespace HighPerfBatch.Tests.Serialization;

public class GeneratedSerializerAllocationTests
{
    [Fact]
    public void Writing_a_batch_of_1000_PageViews_allocates_nothing_after_warm_up()
    {
        var items = Samples.PageViews(1000);
        var output = new ArrayBufferWriter<byte>(1 << 20);
        for (var i = 0; i < 3; i++)
        {
            output.ResetWrittenCount();
            PageViewBatchSerializer.Instance.Write(items, output);
        }

        output.ResetWrittenCount();
        var before = GC.GetAllocatedBytesForCurrentThread();
        PageViewBatchSerializer.Instance.Write(items, output);
        var after = GC.GetAllocatedBytesForCurrentThread();

        Assert.True(output.WrittenCount > 100_000);
        Assert.Equal(0, after - before);
    }

    [Fact]
    public void Writing_1000_PageViews_item_by_item_allocates_nothing_after_warm_up()
    {
        var items = Samples.PageViews(1000);
        var output = new ArrayBufferWriter<byte>(1 << 20);
        var serializer = PageView.BatchSerializer; // through the interface, the way a sink calls it
        WriteAll();
        WriteAll();

        var before = GC.GetAllocatedBytesForCurrentThread();
        WriteAll();
        var after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, after - before);

        void WriteAll()
        {
            output.ResetWrittenCount();
            serializer.WritePrefix(output);
            for (var i = 0; i < items.Length; i++)
            {
                serializer.WriteItem(in items[i], i == 0, output);
            }

            serializer.WriteSuffix(output);
        }
    }
}
