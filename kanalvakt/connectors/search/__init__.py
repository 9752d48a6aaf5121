"""Search clients for listening (INB-7): mentions in sources the organisation does not own.

One module per source, each using the shared `HttpClient`; every client turns
its source's answer into `FoundMention`s. Nothing here stores anything or
knows about Django models: the listening app does that.
"""
