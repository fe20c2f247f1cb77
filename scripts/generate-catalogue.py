#!/usr/bin/env python3
"""Generates a large synthetic catalogue for benchmarks: N services in all 14 languages, as a JSON-LD file
that `anydoor catalogue import` reads, plus a query file for `anydoor catalogue search-times`.

Words come from the demo catalogue's own titles, descriptions and keywords in each language (so every
script is real text: Han, Hangul, Gurmukhi, Perso-Arabic, Devanagari, Cyrillic, Latin with accents),
combined at random with a Zipf-like skew, so some words are very common, as in a real catalogue.

usage: scripts/generate-catalogue.py COUNT OUT.jsonld OUT-queries.tsv [--seed 1]
"""
import glob, json, os, random, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DEMO = os.path.join(ROOT, "Sources/AnyDoorStore/Resources/DemoData/catalogue")
LANGS = ["en", "fr", "zh-Hans", "zh-Hant", "pa", "tl", "ko", "fa", "ar", "vi", "es", "hi", "ja", "uk"]
CJK = {"zh-Hans", "zh-Hant", "ja"}
MINISTRIES = ["AGRI", "AG", "MCFD", "CITZ", "EDUC", "EMCR", "ENER", "ENV", "FIN", "FOR", "HLTH", "HMA", "IRR", "INFRA",
              "IGRS", "JEG", "LBR", "MCM", "PSFS", "PSSG", "SDPR", "TACS", "MOTT", "WLRS", "PREM"]
EVENTS = ["having-a-baby", "moving-to-bc", "starting-a-business", "losing-a-job", "buying-a-home", "retiring",
          "death-of-a-loved-one", "after-a-wildfire-or-flood"]


def words_of(text, lang):
    if lang in CJK:
        runs = re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+", text)
        return [run[i:i + 2] for run in runs for i in range(0, max(1, len(run) - 1), 2) if len(run[i:i + 2]) == 2]
    return [w for w in re.findall(r"\w+", text) if len(w) > 1]


def vocabulary():
    texts = {lang: [] for lang in LANGS}
    for path in sorted(glob.glob(os.path.join(DEMO, "services-*.json"))):
        for s in json.load(open(path, encoding="utf-8"))["services"]:
            texts["en"] += [s["title"], s["description"], " ".join(s["keywords"])]
    for path in sorted(glob.glob(os.path.join(DEMO, "translations", "*.json"))):
        t = json.load(open(path, encoding="utf-8"))
        for s in t["services"].values():
            texts[t["language"]] += [s.get("title", ""), s.get("description", ""), s.get("keywords", "")]
    vocab = {}
    for lang, parts in texts.items():
        seen, ordered = set(), []
        for w in words_of(" ".join(parts), lang):
            if w.lower() not in seen:
                seen.add(w.lower())
                ordered.append(w)
        vocab[lang] = ordered
    return vocab


def zipf_pick(rng, words):
    # rank r is chosen with weight 1/r
    n = len(words)
    u = rng.random()
    r = int(n ** u)  # log-uniform rank: P(rank <= k) = log k / log n, a Zipf(1) shape
    return words[min(n - 1, max(0, r - 1))]


def sentence(rng, words, lang, count):
    picked = [zipf_pick(rng, words) for _ in range(count)]
    return ("" if lang in CJK else " ").join(picked)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    count, out, queries_out = int(args[0]), args[1], args[2]
    rng = random.Random(int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1)
    vocab = vocabulary()
    context = {"@vocab": "https://schema.org/", "anydoor": "https://anydoor.gov.bc.ca/ns/catalogue#",
               "name": {"@container": "@language"}, "description": {"@container": "@language"},
               "keywords": {"@container": "@language"}}
    with open(out, "w", encoding="utf-8") as f:
        f.write('{\n"@context": ' + json.dumps(context) + ',\n"@graph": [\n')
        for i in range(count):
            name, desc, kw = {}, {}, {}
            for lang in LANGS:
                words = vocab[lang]
                name[lang] = sentence(rng, words, lang, rng.randint(3, 7))
                desc[lang] = sentence(rng, words, lang, rng.randint(25, 60))
                kw[lang] = ", ".join(zipf_pick(rng, words) for _ in range(5))
            node = {
                "@type": "GovernmentService", "identifier": f"generated-{i + 1:05d}", "name": name, "description": desc,
                "keywords": kw, "provider": {"@type": "GovernmentOrganization", "identifier": rng.choice(MINISTRIES)},
                "serviceType": "Generated for benchmarks",
                "audience": [{"@type": "Audience", "audienceType": rng.choice(["people", "businesses", "public-sector"])}],
                "availableChannel": [{"@type": "ServiceChannel", "name": "online"},
                                     {"@type": "ServiceChannel", "name": "in person"}],
                "processingTime": f"P{rng.randint(1, 60)}D", "isAccessibleForFree": True,
                "anydoor:lifeEvents": rng.sample(EVENTS, rng.randint(0, 2)),
            }
            f.write(json.dumps(node, ensure_ascii=False) + (",\n" if i < count - 1 else "\n"))
            if (i + 1) % 1000 == 0:
                print(f"generated {i + 1}/{count} services", file=sys.stderr)
        f.write("]\n}\n")
    with open(queries_out, "w", encoding="utf-8") as q:
        for lang in LANGS:
            words = vocab[lang]
            for _ in range(30):
                q.write(f"{lang}\t{zipf_pick(rng, words)}\n")
            for _ in range(10):
                q.write(f"{lang}\t{zipf_pick(rng, words)} {zipf_pick(rng, words)}\n")
            for _ in range(10):
                w = zipf_pick(rng, words)
                q.write(f"{lang}\t{w[:rng.randint(1, 2)]}\n")
        for lang, words in [("zh-Hans", "出生登记"), ("en", "出生"), ("en", "ਜਨਮ"), ("pa", "ਜਨਮ ਰਜਿਸਟ੍ਰੇਸ਼ਨ"), ("fa", "ثبت تولد"),
                            ("fr", "evenement"), ("ko", "운전면허 갱신"), ("fr", "permis conduire"), ("en", "licence")]:
            q.write(f"{lang}\t{words}\n")
    print(f"wrote {count} services to {out} and queries to {queries_out}", file=sys.stderr)


if __name__ == "__main__":
    main()
