"""Licensing for JobDeck: everything the local app needs, usable offline.

- :mod:`license.keys`: the key people type (``JDK-…``), its check character,
  normalisation and the HMAC hash the service stores instead of the key.
- :mod:`license.lease`: signed leases (``v1.<payload>.<signature>``, Ed25519),
  signed by the service and verified offline in a fixed order.
- :mod:`license.fingerprint`: the keyed hash of the machine id and the
  install id; only these hashes leave the machine.
- :mod:`license.state`, :mod:`license.client`: the client state machine and
  its refresh loop, persisted through :mod:`license.storage`.
- :mod:`license.entitlements`: ``is_enabled()``, the one answer to "is X on now".

Nothing here touches the user's data: a lapsed license turns paid features
off, it never hides or deletes anything. See ``license/README.md`` for where
this code deliberately differs from the design notes.
"""
