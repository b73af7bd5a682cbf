"""Spark job for `cargo xtask spark`: score a JSONL corpus with `stance score --format partials`
through `rdd.pipe`, add the totals by key with `reduceByKey`, and write the reduced keys as
partials lines for `stance merge --finalize`.

`stance` runs with `--inline-errors`, so a document it rejects becomes an `errors` entry in its
partition's output instead of a non-zero exit, and `checkCode=True` fails the task only when
`stance` itself fails. The errors are counted by key like everything else and written back for
`stance merge` to report.

Usage: partials_job.py STANCE CORPUS OUT
"""

import json
import sys

from pyspark import SparkConf, SparkContext

SCHEMA = "stance/1-partials"


def pairs(line):
    """The (key, value) pairs of one partials line: group counts and (group, source, target) rows."""
    doc = json.loads(line)
    for error in doc.get("errors", []):
        yield (("error", json.dumps(error, sort_keys=True)), 1)
    for group in doc["groups"]:
        yield (("group", group["group"]), group["documents"])
    for row in doc["keys"]:
        yield (("key", row["group"], row["source"], row["target"]), row)


def add(a, b):
    """Adds two values of one key, as compare::Partial::merge does."""
    if isinstance(a, int):
        return a + b
    merged = dict(a)
    for field in ("conciliatory", "hawkish", "cues", "documents", "mass",
                  "weighted_score", "weighted_square"):
        merged[field] = a[field] + b[field]
    counts = {}
    for observation in a["observations"] + b["observations"]:
        body = dict(observation)
        count = body.pop("count")
        text = json.dumps(body, sort_keys=True)
        counts[text] = counts.get(text, 0) + count
    merged["observations"] = [
        dict(json.loads(text), count=count) for text, count in sorted(counts.items())
    ]
    return merged


def main():
    stance, corpus, out = sys.argv[1:4]
    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("stance-partials")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false")
    )
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        lines = sc.textFile(corpus, minPartitions=4)
        partials = lines.pipe(
            f"{stance} score --format partials --inline-errors --quiet -", checkCode=True
        )
        reduced = partials.flatMap(pairs).reduceByKey(add).collect()
    finally:
        sc.stop()
    groups = []
    keys = []
    errors = []
    for key, value in reduced:
        if key[0] == "group":
            groups.append({"documents": value, "group": key[1]})
        elif key[0] == "error":
            errors.extend([json.loads(key[1])] * value)
        else:
            keys.append(value)
    errors.sort(key=lambda error: (error["input"], error["message"]))
    with open(out, "w", encoding="utf-8") as handle:
        first = {"groups": groups, "keys": [], "schema": SCHEMA}
        if errors:
            first["errors"] = errors
        handle.write(json.dumps(first) + "\n")
        for row in keys:
            handle.write(json.dumps({"groups": [], "keys": [row], "schema": SCHEMA}) + "\n")
    documents = sum(g["documents"] for g in groups if g["group"] is None)
    print(f"spark: {len(keys)} keys, {documents} documents, {len(errors)} rejected", file=sys.stderr)


if __name__ == "__main__":
    main()
