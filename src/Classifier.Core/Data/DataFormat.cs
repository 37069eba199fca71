namespace Classifier.Core.Data;

/// <summary>The input layouts the tool reads. <see cref="Auto"/> picks one from the path.</summary>
public enum DataFormat
{
    Auto,
    Csv,
    Tsv,
    Jsonl,
    FastText,
    /// <summary>Plain text, one document per line (scoring only: no labels).</summary>
    Txt,
    /// <summary>A folder: for training, one sub-folder of .txt files per label; for scoring, a tree of .txt/.md files.</summary>
    Dir,
    /// <summary>Apache Parquet, read row group by row group (<see cref="ParquetRecordReader"/>).</summary>
    Parquet,
}

public static class DataFormats
{
    public static DataFormat Detect(string path, DataFormat requested)
    {
        if (requested != DataFormat.Auto) return requested;
        if (path == "-") return DataFormat.Csv;
        if (Directory.Exists(path)) return DataFormat.Dir;
        var name = path.ToLowerInvariant();
        if (name.EndsWith(".gz")) name = name[..^3];
        return Path.GetExtension(name) switch
        {
            ".csv" => DataFormat.Csv,
            ".tsv" or ".tab" => DataFormat.Tsv,
            ".jsonl" or ".ndjson" or ".json" => DataFormat.Jsonl,
            ".ft" or ".fasttext" => DataFormat.FastText,
            ".txt" => DataFormat.Txt,
            ".parquet" => DataFormat.Parquet,
            _ => throw new InputException($"cannot tell the format from the extension '{Path.GetExtension(path)}'; pass --format csv|tsv|jsonl|fasttext|txt|dir|parquet", path),
        };
    }
}
