"""Message builders the tests share: a SyncHdr and a whole message, as XML bytes or as a model.

Each keyword has the value most tests want; a test passes only what it is
about (a version, a namespace, a root attribute, a MsgID).  WBXML messages
are built token by token in :mod:`tests.wbxml_tokens`.
"""

from __future__ import annotations

from syncml import model as m

#: The server and device addresses a header carries unless a test says otherwise.
SERVER = "https://mdm.example.com"
DEVICE = "DEV"
#: The root namespace of SyncML 1.2, as the ``xmlns`` attribute of the root.
NS_12 = ' xmlns="SYNCML:SYNCML1.2"'
#: The smallest command a body may hold: a client-initiated session's Alert.
ALERT = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"


def synchdr_xml(
    *,
    target: str = SERVER,
    source: str = DEVICE,
    session_id: str = "1",
    msg_id: str = "1",
    ver_dtd: str = "1.2",
    ver_proto: str = "DM/1.2",
    tail: str = "",
) -> str:
    """``<SyncHdr>`` with the required children in order; *tail* goes after Source (RespURI, Meta ...)."""
    return (
        f"<SyncHdr><VerDTD>{ver_dtd}</VerDTD><VerProto>{ver_proto}</VerProto><SessionID>{session_id}</SessionID>"
        f"<MsgID>{msg_id}</MsgID><Target><LocURI>{target}</LocURI></Target>"
        f"<Source><LocURI>{source}</LocURI></Source>{tail}</SyncHdr>"
    )


HDR = synchdr_xml()


def message_xml(
    body: str | bytes = ALERT,
    *,
    hdr: str | bytes = HDR,
    root: str = "SyncML",
    root_attrs: str | bytes = NS_12,
    body_attrs: str | bytes = b"",
    prolog: str | bytes = b"",
) -> bytes:
    """A whole XML message with *body* in its SyncBody; text is written as UTF-8.

    Built with one join, so a hostile test's large *body* (or *body_attrs*)
    makes no larger temporaries than itself.  *root_attrs* is the root's
    attribute text (``NS_12`` by default; ``""`` for no namespace).
    """
    name = root.encode()
    parts = (
        prolog,
        b"<",
        name,
        root_attrs,
        b">",
        hdr,
        b"<SyncBody",
        body_attrs,
        b">",
        body,
        b"</SyncBody></",
        name,
        b">",
    )
    return b"".join(part if isinstance(part, bytes) else part.encode("utf-8") for part in parts)


def header(
    *,
    target: str = SERVER,
    source: str = DEVICE,
    session_id: str = "1",
    msg_id: str = "1",
    ver_dtd: str = "1.2",
    ver_proto: str = "DM/1.2",
) -> m.SyncHdr:
    """A SyncHdr model with the required fields."""
    return m.SyncHdr(
        ver_dtd=ver_dtd,
        ver_proto=ver_proto,
        session_id=session_id,
        msg_id=msg_id,
        target=m.Target(loc_uri=target),
        source=m.Source(loc_uri=source),
    )


def message(*commands: m.Command, hdr: m.SyncHdr | None = None, final: bool = False) -> m.SyncML:
    """A SyncML model around *commands* (with :func:`header`'s defaults unless *hdr* is given)."""
    return m.SyncML(header=header() if hdr is None else hdr, body=m.SyncBody(commands=commands, final=final))
