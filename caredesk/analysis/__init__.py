"""Conversation analysis, offline: language, sentiment, topics from the workspace's
taxonomy, keyphrases and effort/escalation signals, each label with its evidence. The engine
(`engine.py`) is plain Python over packaged data; the results are stored per analysed text
source (an activity or a survey response) in `Analysis`."""
