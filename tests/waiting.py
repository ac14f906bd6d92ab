"""Waiting for websocket messages without depending on timing (Channels' communicator).

The suite shares busy machines (CI runs it next to other work, load average 6-8 on two
cores), so:

- Something that must arrive is waited for with a generous deadline, `WAIT`: it costs nothing
  when the message comes early. The communicator's own defaults (1 s for `connect`,
  `receive_json_from` and `disconnect`) are far too short. A `disconnect` that times out does
  not even fail: it cancels the consumer in the middle of its `disconnect` handler, so the
  desk's connection row may never be removed and its agent never goes offline.
- Messages on one socket arrive in the order the server sends them, but nothing orders two
  sockets, nor what one consumer publishes to another through the channel layer (Redis
  pub/sub hands a group message to the group's members when it is *received*, so a desk that
  joins just after a publication may still get it). `receive` skips only the messages the
  protocol allows to come first, named by the test, and fails on anything else.
- That nothing (more) arrives is asserted with `settle`: a `ping`, whose `pong` must be the
  next message. It is answered in order with everything the consumer sends, so it is fast and
  does not depend on a sleep being long enough. For relays from another socket, first settle
  the socket whose action would publish (its consumer handles one message at a time, so its
  `pong` means the action, publications included, is done).
"""

import time

WAIT = 30  # seconds: an upper bound for what must arrive, never a timing


def _matches(message: dict, allowed) -> bool:
    return any(message == a if isinstance(a, dict) else message.get("type") == a for a in allowed)


async def receive(comm, kind: str, *, allowed=(), timeout: float = WAIT) -> dict:
    """The next message of type `kind`. Before it, only messages in `allowed` (exact dicts,
    or type names) may arrive: the ones the protocol does not order against it."""
    deadline = time.monotonic() + timeout
    skipped = []
    while True:
        try:
            message = await comm.receive_json_from(timeout=max(0.01, deadline - time.monotonic()))
        except TimeoutError:
            raise AssertionError(f"no {kind!r} within {timeout} s (after {skipped})") from None
        if message.get("type") == kind:
            return message
        assert _matches(message, allowed), f"{message} arrived where {kind!r} was expected"
        skipped.append(message)


async def settle(comm, *, allowed=()) -> list[dict]:
    """Asserts that nothing but `allowed` messages is on its way to `comm` (see the module's
    docstring); returns those that came."""
    await comm.send_json_to({"type": "ping"})
    came = []
    while (message := await comm.receive_json_from(timeout=WAIT)) != {"type": "pong"}:
        assert _matches(message, allowed), f"unexpected {message}"
        came.append(message)
    return came


async def close(*comms) -> None:
    """Disconnect, and wait until each consumer's `disconnect` handler has finished."""
    for comm in comms:
        await comm.disconnect(timeout=WAIT)
