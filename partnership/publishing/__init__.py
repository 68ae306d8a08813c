"""Publishing: keeping a CalDAV collection in step with the plan, and feeds to subscribe to.

``state`` is what the records file remembers, ``sync`` decides what to write (pure),
``caldav`` talks to the server, ``feeds`` and ``subscribe`` make the subscription links.
"""
