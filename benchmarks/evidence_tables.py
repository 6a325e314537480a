"""The study tables of README.md and benchmarks/RESULTS.md, made from a study's evidence alone
(benchmarks/evidence/NAME.json, written by benchmarks/study_evidence.py extract).

Notation, everywhere: `x [a, b]` is an estimate and its 95% interval (over seeds unless a table
says otherwise); bold marks a difference whose adjusted test holds at 0.05 (Holm for the primary
comparisons, Benjamini-Hochberg for the exploratory ones), and nothing else.
"""

from __future__ import annotations

BASELINE = "forward"
NAMES = {"ppl": "perplexity", "bleu": "BLEU", "chrf": "chrF"}
DIGITS = {"ppl": 2, "bleu": 2, "chrf": 2}


def num(value, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:+.{digits}f}"


def plain(value, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def ci(e: dict, digits: int = 2, signed: bool = True) -> str:
    f = num if signed else plain
    if e.get("mean") is None:
        return "n/a"
    if e.get("low") is None:
        return f"{f(e['mean'], digits)} (one seed)"
    return f"{f(e['mean'], digits)} [{f(e['low'], digits)}, {f(e['high'], digits)}]"


def pval(value) -> str:
    return "—" if value is None else (f"{value:.2g}" if value >= 0.001 else "<0.001")


def held(text: str, test: dict | None) -> str:
    return f"**{text}**" if test and test.get("holds") else text


def row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(head, rows) -> str:
    return "\n".join([row(head), row(["---"] * len(head)), *rows]) + "\n"


def tests_by_key(evidence: dict) -> dict:
    return {t["key"]: t for t in evidence["tests"]}


def primary_table(ev: dict) -> str:
    rows = []
    for r in ev["primary"]:
        split_metric, pair = r["key"].split(":")
        split, metric = split_metric.split(".")
        arm = pair.split("-")[0]
        d = DIGITS[metric]
        arms = ev["scores"][split][metric]["arms"]
        diff = held(ci(r, d), r)
        rows.append(
            row(
                [
                    f"{split} {NAMES[metric]}, {arm} − {BASELINE}",
                    ci(arms[BASELINE], d, False),
                    ci(arms[arm], d, False),
                    diff,
                    f"{r['wins']}/{r['n']}",
                    pval(r["p"]),
                    pval(r["adjusted"]),
                    r["verdict"],
                ]
            )
        )
    head = ["primary comparison", BASELINE, "arm", "difference", "seeds arm better", "p", "Holm p", "verdict"]
    return table(head, rows)


def seeds_table(ev: dict) -> str:
    rows = []
    for split in ("test",):
        for metric in ("bleu", "ppl"):
            for arm in ev["arms"]:
                values = ev["scores"][split][metric]["per_seed"][arm]
                cells = [plain(v, DIGITS[metric]) for v in values]
                rows.append(row([f"{split} {NAMES[metric]}", arm, *cells]))
    return table(["", "arm", *(f"seed {s}" for s in ev["seeds"])], rows)


def scores_table(ev: dict) -> str:
    tests = tests_by_key(ev)
    rows = []
    for split in ("test", "dev"):
        for metric in ("ppl", "bleu", "chrf"):
            section = ev["scores"][split][metric]
            cells = [ci(section["arms"][arm], DIGITS[metric], False) for arm in ev["arms"]]
            for arm in ev["arms"][1:]:
                test = tests.get(f"{split}.{metric}:{arm}-{BASELINE}")
                cells.append(
                    f"{held(ci(section['vs_forward'][arm], DIGITS[metric]), test)} (adj. p {pval(test and test['adjusted'])})"
                )
            rows.append(row([f"{split} {NAMES[metric]}", *cells]))
    head = ["", *ev["arms"], *(f"{arm} − {BASELINE}" for arm in ev["arms"][1:])]
    return table(head, rows)


def length_table(ev: dict) -> str:
    tests = tests_by_key(ev)
    section = ev["by_length"]
    rows = []
    for i, (bucket, n) in enumerate(zip(section["buckets"], section["n"])):
        means = [plain(section["arms"][arm][i], 2) for arm in ev["arms"]]
        diffs = []
        for arm in ev["arms"][1:]:
            d = section["vs_forward"][arm][i]
            test = tests.get(f"by_length.{bucket}:{arm}-{BASELINE}")
            diffs += [held(ci(d, 2), test), pval(test and test["p"]), pval(test and test["adjusted"])]
        rows.append(row([bucket, n, *means, *diffs]))
    head = ["source words", "test sentences", *(f"{a} BLEU" for a in ev["arms"])]
    for arm in ev["arms"][1:]:
        head += [f"{arm} − {BASELINE}", "p", "BH p"]
    return table(head, rows)


def probes_table(ev: dict) -> str:
    tests = tests_by_key(ev)
    final = ev["probes"]["final"]
    rows = []
    for suite, arms in final.items():
        unit = (ev["probes"]["resampling"].get(suite) or {}).get("unit", "family")
        for arm, kinds in arms.items():
            raw = kinds["raw"]
            lead_test = tests.get(f"probe.{suite}.raw.lead:{arm}")
            centred_test = tests.get(f"probe.{suite}.centred.lead:{arm}")
            rows.append(
                row(
                    [
                        suite,
                        unit,
                        arm,
                        ci(raw["margin"], 3),
                        held(ci(raw["lead"], 3), lead_test),
                        f"{raw['beats_baselines']}/{raw['margin']['n']}",
                        pval(lead_test and lead_test["adjusted"]),
                        held(ci(kinds["centred"]["lead"], 3), centred_test),
                        pval(centred_test and centred_test["adjusted"]),
                    ]
                )
            )
    head = [
        "suite",
        "resampled by",
        "arm",
        "margin",
        "lead over best baseline",
        "seeds beating all (own interval)",
        "BH p (lead)",
        "centred lead",
        "BH p (centred)",
    ]
    return table(head, rows)


def cka_table(ev: dict) -> str:
    tests = tests_by_key(ev)
    rows = []
    for r in ev["cka"]["arms"]:
        test = tests.get(f"cka.{r['state']}.{r['layer']}:{r['a']}|{r['b']}")
        d = r["difference"]
        diff = held(f"{num(d['plain'])} [{num(d['low'])}, {num(d['high'])}]", test)
        rows.append(
            row(
                [
                    f"{r['a']} vs {r['b']}",
                    f"{r['state']} {r['layer'] + 1}",
                    f"{plain(r['between']['plain'])} ({plain(r['between']['debiased'])})",
                    f"{plain(r['within']['plain'])} ({plain(r['within']['debiased'])})",
                    plain(r["floor"]),
                    diff,
                    f"{pval(r['p'])} of {r['assignments']}",
                    pval(test and test["adjusted"]),
                ]
            )
        )
    head = [
        "arms",
        "state, layer",
        "between arms (debiased)",
        "two seeds of one arm (debiased)",
        "floor",
        "between − within [jackknife]",
        "permutation p",
        "BH p",
    ]
    return table(head, rows)


def paired_table(ev: dict) -> str:
    rows = [
        row(
            [
                r["seed"],
                r["arm"],
                f"{plain(r['baseline']['score'])} ± {plain(r['baseline']['ci'])}",
                f"{plain(r['system']['score'])} ± {plain(r['system']['ci'])}",
                num(r["difference"]),
                pval(r["p"]),
            ]
        )
        for r in ev["paired_bleu"]
    ]
    head = [
        "seed",
        "arm",
        f"{BASELINE} test BLEU ± 95% over test resamples",
        "arm",
        "difference",
        "p (unadjusted)",
    ]
    return table(head, rows)


def position_table(ev: dict) -> str:
    tests = tests_by_key(ev)
    rows = []
    for arm, section in ev["position"].items():
        early_test = tests.get(f"position.early:{arm}-{BASELINE}")
        contrast_test = tests.get(f"position.contrast:{arm}-{BASELINE}")
        rows.append(
            row(
                [
                    arm,
                    held(ci(section["early"], 3), early_test),
                    ci(section["late"], 3),
                    held(ci(section["contrast"], 3), contrast_test),
                    pval(contrast_test and contrast_test["adjusted"]),
                ]
            )
        )
    k = next(iter(ev["position"].values()), {}).get("positions", 3)
    head = [
        "arm",
        f"loss change at positions 1-{k} (nats)",
        "later positions",
        "early − late",
        "BH p (contrast)",
    ]
    return table(head, rows)


def steps_table(ev: dict) -> str:
    section = ev["steps_to_bleu"]
    rows = [row([arm, s["described"]]) for arm, s in section["arms"].items()]
    return table(
        [f"steps to dev BLEU {section['threshold']}", "median over every seed (censored kept)"], rows
    )


KINDS = {
    "primary": primary_table,
    "seeds": seeds_table,
    "scores": scores_table,
    "length": length_table,
    "probes": probes_table,
    "cka": cka_table,
    "paired": paired_table,
    "position": position_table,
    "steps": steps_table,
}
