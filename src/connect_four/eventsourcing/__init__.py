"""The event-sourcing building blocks, written from the ground up.

Nothing in this package knows about Connect Four: it could carry any
aggregate. Each concept lives in one module: `events` (the envelopes),
`aggregate`, `codec`, `store` (the protocol), `repository` and `stores/`.
"""
