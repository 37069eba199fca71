namespace Classifier.Core.Models;

/// <summary>
/// Turns trainer scores into probabilities. Maximum-entropy and calibrated one-versus-all trainers already
/// give them; naive Bayes and LightGBM can give raw scores, which a softmax turns into a distribution.
/// </summary>
public static class Probabilities
{
    public static float[] Normalize(float[] scores)
    {
        double sum = 0;
        bool valid = true;
        foreach (var s in scores)
        {
            if (s < 0 || float.IsNaN(s) || s > 1.0001f) valid = false;
            sum += s;
        }
        if (valid && sum > 0)
        {
            if (Math.Abs(sum - 1) > 1e-4) for (int i = 0; i < scores.Length; i++) scores[i] = (float)(scores[i] / sum);
            return scores;
        }
        return Softmax(scores);
    }

    public static float[] Softmax(float[] scores)
    {
        // A loop, not LINQ: LINQ over floats is compiled in each new process (`predict` is a process per call).
        float max = float.NegativeInfinity;
        foreach (var s in scores) if (s > max) max = s;
        if (float.IsNegativeInfinity(max)) max = 0;
        double sum = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            var e = float.IsNaN(scores[i]) ? 0 : Math.Exp(scores[i] - max);
            scores[i] = (float)e;
            sum += e;
        }
        for (int i = 0; i < scores.Length; i++) scores[i] = (float)(scores[i] / sum);
        return scores;
    }
}
