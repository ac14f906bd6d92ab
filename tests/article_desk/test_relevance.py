"""Suggestion relevance on a small labelled set (relevance.json): 20 customer messages in the
four languages, each with the article an agent would want, among 15 articles with their
translations. The expected article must be in the top 3 for at least 80 % of them."""

from caredesk.resources.suggest import suggest

from .conftest import DATA, start_chat

TARGET = 0.8


def test_the_expected_article_is_in_the_top_3_for_most_messages(world, articles, capsys):
    by_id = {a.pk: key for key, a in articles.items()}
    hits, misses = 0, []
    for case in DATA["cases"]:
        conversation = start_chat(world, case["messages"], language=case["language"])
        query, found = suggest(conversation, top=3)
        top = [by_id[s.article_id] for s in found]
        if case["expected"] in top:
            hits += 1
        else:
            misses.append((case["language"], case["messages"][-1], case["expected"], top, query))
        routing_end(conversation)
    rate = hits / len(DATA["cases"])
    with capsys.disabled():
        print(f"\nsuggestion relevance: {hits}/{len(DATA['cases'])} = {rate:.0%} in the top 3")
        for miss in misses:
            print("  miss:", miss)
    assert rate >= TARGET


def routing_end(conversation):
    # The agent's capacity frees up for the next case's chat.
    from caredesk.routing import services

    services.conversation_end(conversation_id=conversation.pk, by="agent")
