#!/usr/bin/python3
"""scikit-learn peer for bench/score.sh: the sklearn-svm system of anchors.py (TF-IDF word 1-2-grams, sublinear tf,
min_df 2, LinearSVC C=0.5). Fits on TRAIN (not timed), reads INPUT (not timed), then times vectorize + predict on
its documents. Prints one JSON line. Usage: score-sklearn.py TRAIN.csv INPUT.csv"""
import csv, json, resource, sys, time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

csv.field_size_limit(sys.maxsize)


def read(path):
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        return [(r["label"], r["text"] or "") for r in csv.DictReader(f)]


train, docs = read(sys.argv[1]), read(sys.argv[2])
t0 = time.perf_counter()
vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2 if len(train) > 5000 else 1)
clf = LinearSVC(C=0.5).fit(vec.fit_transform([t for _, t in train]), [l for l, _ in train])
t1 = time.perf_counter()
pred = clf.predict(vec.transform([t for _, t in docs]))
t2 = time.perf_counter()
accuracy = sum(1 for p, (l, _) in zip(pred, docs) if p == l) / len(docs)
print(json.dumps({"system": "sklearn-svm", "fit_s": round(t1 - t0, 2), "predict_s": round(t2 - t1, 2), "docs": len(docs),
                  "docs_per_s": round(len(docs) / (t2 - t1)), "accuracy": round(accuracy, 4),
                  "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
