using System.Text;

namespace HighPerfBatch.Generators;

/// <summary>A small indenting text writer for generated source (LF line endings, four-space indents).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    // Set by CloseBlock: a statement that follows a block gets a blank line before it, for readability.
    private bool _afterBlock;

    public void WriteLine(string line)
    {
        if (_afterBlock && line.Length > 0 && !line.StartsWith("}", System.StringComparison.Ordinal) && !line.StartsWith("else", System.StringComparison.Ordinal))
        {
            _builder.Append('\n');
        }

        _afterBlock = false;
        if (line.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
            _builder.Append(line);
        }

        _builder.Append('\n');
    }

    public void WriteLine()
    {
        _afterBlock = false;
        _builder.Append('\n');
    }

    public void OpenBlock(string line)
    {
        WriteLine(line);
        OpenBlock();
    }

    public void OpenBlock()
    {
        WriteLine("{");
        _indent++;
    }

    public void CloseBlock(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
        _afterBlock = true;
    }

    public override string ToString() => _builder.ToString();
}
