using System.Globalization;
using System.Text;

namespace Classifier.Cli.Output;

/// <summary>
/// Writes well-formed XHTML (every element closed, every text and attribute escaped) so that the report opens in
/// any browser as HTML and still parses as XML, which is how the tests check it.
/// </summary>
public sealed class HtmlWriter
{
    private readonly StringBuilder _sb = new();
    private readonly Stack<string> _open = new();

    /// <summary>Opens an element; attributes with a null value are left out.</summary>
    public HtmlWriter Open(string tag, params (string Name, object? Value)[] attributes)
    {
        Start(tag, attributes);
        _sb.Append('>');
        _open.Push(tag);
        return this;
    }

    public HtmlWriter Close(string tag)
    {
        var top = _open.Pop();
        if (top != tag) throw new InvalidOperationException($"closing <{tag}> while <{top}> is open");
        _sb.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element holding only text. Never self-closed: HTML parsers read &lt;div/&gt; as an open tag.</summary>
    public HtmlWriter Element(string tag, string? text, params (string Name, object? Value)[] attributes)
    {
        Start(tag, attributes);
        _sb.Append('>').Append(Escape(text ?? "")).Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>A self-closed element: only for HTML void elements (meta, br) and SVG shapes.</summary>
    public HtmlWriter Void(string tag, params (string Name, object? Value)[] attributes)
    {
        Start(tag, attributes);
        _sb.Append("/>");
        return this;
    }

    public HtmlWriter Text(string text)
    {
        _sb.Append(Escape(text));
        return this;
    }

    /// <summary>Trusted markup written by this program (the style sheet and script), never user data.</summary>
    public HtmlWriter Raw(string markup)
    {
        _sb.Append(markup);
        return this;
    }

    public override string ToString() =>
        _open.Count == 0 ? _sb.ToString() : throw new InvalidOperationException($"<{_open.Peek()}> is still open");

    private void Start(string tag, (string Name, object? Value)[] attributes)
    {
        _sb.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
            if (value is not null) _sb.Append(' ').Append(name).Append("=\"").Append(Escape(Format(value))).Append('"');
    }

    public static string Format(object value) => value switch
    {
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        float f => f.ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// Escapes markup characters and replaces characters XML forbids (control characters, lone surrogates),
    /// which real documents do contain, with U+FFFD.
    /// </summary>
    public static string Escape(string text)
    {
        StringBuilder? sb = null;
        for (int i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => null,
                _ when char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]) => null,
                _ when char.IsSurrogate(c) || (c < 0x20 && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF' => "\uFFFD",
                _ => null,
            };
            if (replacement is null) { sb?.Append(c); continue; }
            sb ??= new StringBuilder(text, 0, i, text.Length + 16);
            sb.Append(replacement);
        }
        return sb?.ToString() ?? text;
    }
}
