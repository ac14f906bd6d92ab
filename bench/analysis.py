#!/usr/bin/env python
"""Analysis engine throughput on one core: messages per second through analyse().

    .venv/bin/python bench/analysis.py                    # 20,000 messages
    .venv/bin/python bench/analysis.py --messages 100000 --profile

Conversations of 4–12 chat messages (customer and agent alternating) drawn from the labelled
evaluation sets (en/pt/it/bg, typical chat lengths), analysed with the 30-topic starter
taxonomy (caredesk.analysis.starter) and no language hint. Prints messages/s for analyse()
without keyphrases (the per-message figure, target ≥ 2,000/s), then documents/s for YAKE
keyphrases alone (per conversation), then analyse() with both. Warm: one untimed pass first
loads the lexicons, the lemmatiser's dictionaries and the language model. Each figure is
given per CPU second of this process (the one-core figure) and per wall-clock second.
No database: the engine is pure Python.
"""

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from caredesk.analysis.accuracy import load  # noqa: E402
from caredesk.analysis.engine import Taxonomy, Unit, analyse, keyphrases  # noqa: E402
from caredesk.analysis.starter import starter_topics  # noqa: E402

AGENT_LINES = {
    "en": [
        "I'm sorry to hear that, let me check.",
        "Thanks for waiting.",
        "Could you confirm your order number?",
        "I've escalated this for you.",
    ],
    "pt": [
        "Sinto muito, vou verificar.",
        "Obrigado por aguardar.",
        "Pode confirmar o número do pedido?",
        "Já encaminhei o seu caso.",
    ],
    "it": [
        "Mi dispiace, controllo subito.",
        "Grazie per l'attesa.",
        "Può confermare il numero d'ordine?",
        "Ho inoltrato la sua richiesta.",
    ],
    "bg": [
        "Съжалявам, веднага проверявам.",
        "Благодаря за изчакването.",
        "Можете ли да потвърдите номера на поръчката?",
        "Предадох случая ви.",
    ],
}


def conversations(count_messages: int, seed: int = 14):
    rng = random.Random(seed)
    texts = {lang: [item["text"] for item in load(lang)] for lang in AGENT_LINES}
    made = []
    total = 0
    while total < count_messages:
        lang = rng.choice(list(AGENT_LINES))
        size = rng.randint(4, 12)
        units = [
            Unit(rng.choice(texts[lang]), "customer")
            if i % 2 == 0
            else Unit(rng.choice(AGENT_LINES[lang]), "agent")
            for i in range(size)
        ]
        made.append(units)
        total += size
    return made, total


def timed(label, work, count, unit):
    """Wall-clock and CPU time: on a shared machine the CPU time of this process is the
    one-core figure (the wall clock also counts other processes' turns)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{label:38} {count:>7} {unit}: {count / cpu:>8,.0f} {unit}/s CPU "
        f"({cpu:5.2f} s), {count / wall:>8,.0f} {unit}/s wall ({wall:5.2f} s)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the per-message run")
    args = parser.parse_args()

    taxonomy = Taxonomy.from_topics(starter_topics())
    convs, total = conversations(args.messages)
    warm, _ = conversations(2_000, seed=1)
    for units in warm:  # loads lexicons, lemma dictionaries, the language model
        analyse(units, taxonomy, top_keyphrases=5)

    def per_message():
        for units in convs:
            analyse(units, taxonomy, top_keyphrases=0)

    print(f"{len(convs)} conversations, {total} messages, {len(taxonomy.topic_ids)} topics")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(per_message)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    timed("analyse() without keyphrases", per_message, total, "messages")

    documents = ["\n".join(u.text for u in units if u.side == "customer") for units in convs]
    subset = documents[: max(1, len(documents) // 10)]
    timed(
        "keyphrases (YAKE) per conversation",
        lambda: [keyphrases(d, "") for d in subset],
        len(subset),
        "documents",
    )

    sample = convs[: len(subset)]
    sample_messages = sum(len(units) for units in sample)
    timed(
        "analyse() with keyphrases",
        lambda: [analyse(u, taxonomy) for u in sample],
        sample_messages,
        "messages",
    )


if __name__ == "__main__":
    main()
