"""Properties of syncml.ddf: load(write(t)) == t for generated DDF and TNDS trees; linear cost."""

from __future__ import annotations

import dataclasses
import tracemalloc

from hypothesis import given
from hypothesis import strategies as st

import syncml
from syncml import ddf
from syncml._meter import measure
from syncml.ddf._model import ACCESS_TYPES, CASE_SENSES, FORMATS, OCCURRENCES, SCOPES, node_path
from syncml.ddf._pack import pack, unpack

# XML 1.0 characters worth meeting: markup, whitespace XML normalises, non-ASCII of 2, 3 and 4 bytes.
_CHARS = st.sampled_from(list("aZ09 -_.%/{}\t\n\r<>&\"';\\\u00e9\u00df\u20ac\uf000\u4e2d\U0001f600"))
TEXT = st.text(_CHARS, max_size=12)
NAME = st.text(st.sampled_from(list("aZ09-_.{}% \u00e9")), min_size=1, max_size=8).filter(lambda s: bool(s.strip()))
OPT = st.none() | TEXT


def _allowed() -> st.SearchStrategy[ddf.AllowedValues]:
    return st.builds(
        ddf.AllowedValues,
        value_type=st.sampled_from(["ENUM", "Flag", "Range", "RegEx", "ADMX", "XSD", "None", ""]),
        value=OPT,
        enums=st.lists(st.builds(ddf.EnumValue, value=TEXT, description=TEXT), max_size=3).map(tuple),
        admx=st.none() | st.builds(ddf.AdmxBacked, area=TEXT, name=TEXT, file=TEXT),
        list_delimiter=OPT,
    )


def _naming() -> st.SearchStrategy[dict[str, str | None]]:
    return st.one_of(
        st.just({"dynamic_naming": None, "unique_name": None}),
        st.sampled_from(["ServerGeneratedUniqueIdentifier", "ClientInventory"]).map(
            lambda n: {"dynamic_naming": n, "unique_name": None}
        ),
        TEXT.map(lambda t: {"dynamic_naming": "UniqueName", "unique_name": t}),
    )


def _df_node(children: st.SearchStrategy[tuple[ddf.Node, ...]]) -> st.SearchStrategy[ddf.Node]:
    return st.builds(
        lambda naming, **kw: ddf.Node(path="", **naming, **kw),
        naming=_naming(),
        name=st.just("") | NAME,
        access=st.frozensets(st.sampled_from(ACCESS_TYPES)),
        default=OPT,
        description=OPT,
        format=st.none() | st.sampled_from(FORMATS),
        occurrence=st.none() | st.sampled_from(OCCURRENCES),
        scope=st.none() | st.sampled_from(SCOPES),
        title=OPT,
        mime=OPT,
        ddf_name=OPT,
        case_sense=st.none() | st.sampled_from(CASE_SENSES),
        applicability=st.none()
        | st.builds(ddf.Applicability, os_build_version=OPT, csp_version=OPT, edition_allow_list=OPT),
        allowed=st.none() | _allowed(),
        atomic_required=st.booleans(),
        value=OPT,
        children=children,
    )


def _rt_node(children: st.SearchStrategy[tuple[ddf.Node, ...]]) -> st.SearchStrategy[ddf.Node]:
    rt = st.builds(
        ddf.RTProperties,
        acl=OPT,
        format=st.none() | st.sampled_from(FORMATS),
        name=OPT,
        size=OPT,
        title=OPT,
        tstamp=OPT,
        mime=OPT,
        ddf_name=OPT,
        ver_no=OPT,
    )
    return st.builds(lambda **kw: ddf.Node(path="", **kw), name=NAME, rt=rt, value=OPT, children=children)


def _with_paths(node: ddf.Node, base: str) -> ddf.Node:
    path = node_path(base, node.name, node.title)
    return dataclasses.replace(node, path=path, children=tuple(_with_paths(c, path) for c in node.children))


def _tree(
    node: st.SearchStrategy[ddf.Node], namespace: st.SearchStrategy[str | None]
) -> st.SearchStrategy[ddf.MgmtTree]:
    def finish(roots: list[ddf.Node], parents: list[str | None], **kw: str | None) -> ddf.MgmtTree:
        fixed = []
        for root, parent in zip(roots, parents + [None] * len(roots), strict=False):
            placed = dataclasses.replace(root, parent_path=parent)
            fixed.append(_with_paths(placed, parent if parent is not None else "."))
        return ddf.MgmtTree(nodes=tuple(fixed), **kw)  # type: ignore[arg-type]

    return st.builds(
        finish,
        roots=st.lists(node, min_size=1, max_size=3),
        parents=st.lists(
            st.none() | st.sampled_from(["./Device/Vendor/MSFT", "./User/Vendor/MSFT", ".", "./Vendor/MSFT"])
        ),
        ver_dtd=st.sampled_from(["1.2", "1.3"]),
        man=OPT,
        mod=OPT,
        namespace=namespace,
    )


def _recursive(leaf: st.SearchStrategy[ddf.Node], make: object) -> st.SearchStrategy[ddf.Node]:
    return st.recursive(
        leaf,
        lambda kids: make(st.lists(kids, max_size=3).map(tuple)),  # type: ignore[operator]
        max_leaves=6,
    )


DDF_TREES = _tree(_recursive(_df_node(st.just(())), _df_node), st.none())
TNDS_TREES = _tree(_recursive(_rt_node(st.just(())), _rt_node), st.sampled_from([ddf._load.TNDS_NS, None]))


@given(DDF_TREES)
def test_ddf_round_trip(tree: ddf.MgmtTree) -> None:
    text = ddf.write(tree)
    assert ddf.load(text) == tree
    assert ddf.load(text.encode("utf-8")) == tree
    assert ddf.write(ddf.load(text)) == text  # writing is stable


@given(TNDS_TREES)
def test_tnds_round_trip(tree: ddf.MgmtTree) -> None:
    assert ddf.load(ddf.write(tree)) == tree
    item = ddf.tnds_item(tree, source="./Tree")
    assert ddf.tnds_of(item) == tree


@given(DDF_TREES)
def test_pack_round_trip(tree: ddf.MgmtTree) -> None:
    without = dataclasses.replace(tree, nodes=tuple(_strip(n) for n in tree.nodes))
    assert unpack(pack(without)) == without


def _strip(node: ddf.Node) -> ddf.Node:
    # The packed form keeps neither extensions nor values (the catalog needs neither).
    return dataclasses.replace(node, extensions=(), value=None, children=tuple(_strip(c) for c in node.children))


@given(DDF_TREES, st.data())
def test_a_mutated_document_loads_or_is_refused(tree: ddf.MgmtTree, data: st.DataObject) -> None:
    raw = bytearray(ddf.write(tree).encode("utf-8"))
    at = data.draw(st.integers(0, len(raw) - 1))
    raw[at] = data.draw(st.integers(0, 255))
    outcome: ddf.MgmtTree | syncml.DecodeError
    try:
        outcome = ddf.load(bytes(raw))
    except syncml.DecodeError as exc:  # never another exception
        outcome = exc
    if isinstance(outcome, ddf.MgmtTree):
        assert ddf.load(ddf.write(outcome)) == outcome
    else:
        assert outcome.status in (400, 413, 415)


# --- cost: linear in the input, by the work meter and by memory, never the clock ---------------

_LEAF = (
    "<Node><NodeName>N{i}</NodeName><DFProperties><AccessType><Get/><Replace/></AccessType>"
    "<Description>value {i} <about:blank></Description><DFFormat><int/></DFFormat><DFType><MIME/></DFType>"
    '<MSFT:AllowedValues ValueType="ENUM"><MSFT:Enum><MSFT:Value>{i}</MSFT:Value>'
    "<MSFT:ValueDescription>d</MSFT:ValueDescription></MSFT:Enum></MSFT:AllowedValues></DFProperties></Node>"
)


def _document(n: int) -> bytes:
    leaves = "".join(_LEAF.format(i=i) for i in range(n))
    return (
        '<MgmtTree xmlns:MSFT="http://schemas.microsoft.com/MobileDevice/DM"><VerDTD>1.2</VerDTD>'
        "<Node><NodeName>Root</NodeName><Path>./Vendor/MSFT</Path><DFProperties><AccessType><Get/></AccessType>"
        f"<DFFormat><node/></DFFormat><DFType><MIME/></DFType></DFProperties>{leaves}</Node></MgmtTree>"
    ).encode()


def test_load_work_is_linear() -> None:
    def work(n: int) -> int:
        with measure() as meter:
            tree = ddf.load(_document(n))  # the raw '<' takes the repair path too
        assert len(tree.nodes[0].children) == n
        return meter.work

    small, large = work(100), work(800)
    assert 7.5 * small <= large <= 8.5 * small


def test_load_memory_is_linear() -> None:
    def peak(n: int) -> int:
        data = _document(n)
        tracemalloc.start()
        try:
            ddf.load(data)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(100), peak(800)
    assert large <= 8 * small * 1.25
