using Classifier.Cli;
using Classifier.Core;
using Classifier.Core.Models;
using Classifier.Tests.Cli;
using Classifier.Tests.Scoring;

namespace Classifier.Tests.Catalogue;

/// <summary>
/// Catalogue, faults while writing: a write that fails midway leaves neither the target nor a temporary file. Already
/// covered for score output: ScoreFailureTests.AtomicFile_AWriteThatThrowsMidway_LeavesNoTargetAndNoTemp,
/// ScoreFailureTests.BatchScorer_AWriterThatFailsMidway_PropagatesTheError_AndLeavesNoFile and
/// ScoreFailureTests.AnExistingTarget_IsReplacedOnlyBySuccess. Ctrl-C: InterruptCatalogueTests.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class WriteFaultCatalogueTests : IClassFixture<ScoreModelFixture>, IDisposable
{
    private readonly ScoreModelFixture _model;
    private readonly TempDirectory _tmp = new();

    public WriteFaultCatalogueTests(ScoreModelFixture model) => _model = model;

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(0)]       // the first write
    [InlineData(200)]     // inside the manifest
    [InlineData(20_000)]  // inside the featurizer
    [InlineData(-1)]      // at the final flush to disk
    public void ModelFile_AWriteThatFailsMidway_LeavesNoModelAndNoTemp(long failAfterBytes)
    {
        var model = ModelFile.Load(_model.TrainedModel);
        var target = _tmp["model.zip"];
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(target, stream =>
        {
            using var failing = new FailingStream(stream, failAfterBytes);
            ModelFile.Write(model, failing);
            failing.Flush();
        }));
        Assert.Equal("No space left on device", e.Message);
        Outcome.FolderHolds(_tmp.Path);
    }

    [Fact]
    public void ModelFile_AFailedWrite_LeavesThePreviousModelAsItWas()
    {
        var model = ModelFile.Load(_model.TrainedModel);
        var target = _tmp["model.zip"];
        File.Copy(_model.TrainedModel, target);
        var before = File.ReadAllBytes(target);
        Assert.Throws<IOException>(() => AtomicFile.Write(target, stream => ModelFile.Write(model, new FailingStream(stream, 5_000))));
        Assert.Equal(before, File.ReadAllBytes(target));
        Outcome.FolderHolds(_tmp.Path, "model.zip");
    }

    [Fact]
    public void ModelFile_SaveCancelled_LeavesNoModelAndNoTemp()
    {
        var model = ModelFile.Load(_model.TrainedModel);
        var target = _tmp["models/model.zip"];
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ModelFile.Save(model, target, cancel.Token));
        Outcome.FolderHolds(_tmp["models"]);
    }

    /// <summary>Stdout that fails (a full disk under a redirect, a closed pipe): exit 1 with one line, no stack trace.</summary>
    [Fact]
    public async Task Score_ToStdout_ThatFailsMidway_Exit1_OneErrorLine()
    {
        var input = _tmp.Write("in.csv", "id,title,text\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i},Goal,The striker scored goal number {i}\n")));
        var stdout = new FailingWriter(failAfterChars: 5_000);
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await CliApp.RunAsync(["score", "-m", _model.TrainedModel, "-i", input, "-o", "-"], new CliContext(stdout, stderr));
        var lines = stderr.ToString().TrimEnd('\n').Split('\n');
        Assert.True(code == ExitCodes.Failure, $"exit {code}\n{stderr}");
        Assert.Equal("error: unexpected failure: No space left on device (run with --verbose for details)", lines[^1]);
        Assert.DoesNotContain("   at ", stderr.ToString());
        Outcome.FolderHolds(_tmp.Path, "in.csv");
    }

    /// <summary>Passes writes through until <c>failAfterBytes</c> have been written (-1: fails only on Flush), then throws ENOSPC's message.</summary>
    private sealed class FailingStream(Stream inner, long failAfterBytes) : Stream
    {
        private long _written;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (failAfterBytes >= 0 && _written + buffer.Length > failAfterBytes) throw new IOException("No space left on device");
            _written += buffer.Length;
            inner.Write(buffer);
        }

        public override void Flush()
        {
            if (failAfterBytes < 0) throw new IOException("No space left on device");
            inner.Flush();
        }

        // Seekable like the FileStream it wraps, so that the zip writer takes the same path as in ModelFile.Save.
        public override bool CanRead => false;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
    }

    private sealed class FailingWriter(int failAfterChars) : StringWriter
    {
        private void Check(int adding)
        {
            if (GetStringBuilder().Length + adding > failAfterChars) throw new IOException("No space left on device");
        }

        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }
    }
}
