namespace Classifier.Cli;

/// <summary>
/// A verb's promise to end with a save even after Ctrl-C (tune: the best settings found so far are trained and saved).
/// Program forces an exit two seconds after Ctrl-C, because most work cannot be interrupted midway and the user wants
/// the terminal back; that would kill such a save halfway, so once a verb has promised one, the forced exit is off
/// and the verb exits 130 by itself when it is done. A second Ctrl-C still exits at once.
/// </summary>
public sealed class FinalSave
{
    private volatile bool _promised;

    /// <summary>From here on, the running verb finishes by itself after Ctrl-C: call it once the final save is sure to follow.</summary>
    public void Promise() => _promised = true;

    public bool Promised => _promised;
}
