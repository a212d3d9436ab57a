"""Routing: which queue a ticket's text belongs to. Pure: no HTTP, no terminal.

`vocabulary.py` turns a `Config` into each queue's routing words (keywords, aliases, and RP
queue names); `matcher.py` compiles them once into an index and ranks the queues a text
matches. Text is compared in `accessq.config.text.route_tokens` form, the same one `validate`
uses to keep each word to one queue.
"""
