"""Spark job for `cargo xtask spark`: score a JSONL corpus with `stance score --format partials`
through `rdd.pipe`, add the totals by key with `reduceByKey`, and write the reduced keys as
partials lines for `stance merge --finalize`.

Usage: partials_job.py STANCE CORPUS OUT
"""

import json
import sys

from pyspark import SparkConf, SparkContext

SCHEMA = "stance/1-partials"


def pairs(line):
    """The (key, value) pairs of one partials line: group counts and (group, source, target) rows."""
    doc = json.loads(line)
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
        partials = lines.pipe(f"{stance} score --format partials --quiet -")
        reduced = partials.flatMap(pairs).reduceByKey(add).collect()
    finally:
        sc.stop()
    groups = []
    keys = []
    for key, value in reduced:
        if key[0] == "group":
            groups.append({"documents": value, "group": key[1]})
        else:
            keys.append(value)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"groups": groups, "keys": [], "schema": SCHEMA}) + "\n")
        for row in keys:
            handle.write(json.dumps({"groups": [], "keys": [row], "schema": SCHEMA}) + "\n")
    print(f"spark: {len(keys)} keys, {sum(g['documents'] for g in groups)} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
