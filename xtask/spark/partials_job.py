"""Spark job for `cargo xtask spark`: score a JSONL corpus with `stance score --format partials`
through `rdd.pipe`, add the totals by key with `reduceByKey`, and write the reduced keys as
partials lines for `stance merge --finalize`.

`stance` runs with `--inline-errors`, so a document it rejects becomes an `errors` entry in its
partition's output instead of a non-zero exit, and `checkCode=True` fails the task only when
`stance` itself fails. The errors are counted by key like everything else and written back for
`stance merge` to report.

Usage: partials_job.py STANCE CORPUS OUT GROUP_BY
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
    if "group_by" in doc:
        yield (("group_by", doc["group_by"]), 1)
    for member in doc.get("members", []):
        yield (("member", member["group"], member["doc"]), member["count"])
    for item in doc.get("evidence", []):
        yield (("evidence", item["group"], item["key"]), item["weight"])
    for group in doc["groups"]:
        yield (("group", group["group"]), group["documents"])
    for row in doc["keys"]:
        yield (("key", row["group"], row["source"], row["target"]), row)


def add(a, b):
    """Adds two values of one key, as compare::Partial::merge does. Observation lists are only
    concatenated: `stance merge` adds repeated observations when it reads them back."""
    if isinstance(a, int):
        return a + b
    merged = dict(a)
    for field in ("conciliatory", "hawkish", "cues", "documents", "mass",
                  "weighted_score", "weighted_square"):
        merged[field] = a[field] + b[field]
    merged["observations"] = a["observations"] + b["observations"]
    return merged


def main():
    stance, corpus, out, group_by = sys.argv[1:5]
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
            f"{stance} score --format partials --group-by {group_by} --inline-errors --quiet -",
            checkCode=True,
        )
        reduced = partials.flatMap(pairs).reduceByKey(add).collect()
    finally:
        sc.stop()
    groups = []
    keys = []
    errors = []
    members = []
    evidence = []
    fields = set()
    for key, value in reduced:
        if key[0] == "group":
            groups.append({"documents": value, "group": key[1]})
        elif key[0] == "error":
            errors.extend([json.loads(key[1])] * value)
        elif key[0] == "group_by":
            fields.add(key[1])
        elif key[0] == "member":
            members.append({"count": value, "doc": key[2], "group": key[1]})
        elif key[0] == "evidence":
            evidence.append({"group": key[1], "key": key[2], "weight": value})
        else:
            keys.append(value)
    errors.sort(key=lambda error: (error["input"], error["message"]))
    with open(out, "w", encoding="utf-8") as handle:
        first = {"groups": groups, "keys": [], "members": members, "evidence": evidence,
                 "schema": SCHEMA}
        if errors:
            first["errors"] = errors
        # `stance merge` rejects lines grouped by different fields; there is one here.
        for field in sorted(fields):
            first["group_by"] = field
        handle.write(json.dumps(first) + "\n")
        for row in keys:
            handle.write(json.dumps({"groups": [], "keys": [row], "schema": SCHEMA}) + "\n")
    documents = sum(g["documents"] for g in groups if g["group"] is None)
    print(f"spark: {len(keys)} keys, {documents} documents, {len(errors)} rejected", file=sys.stderr)


if __name__ == "__main__":
    main()
