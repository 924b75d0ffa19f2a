"""Issue 11, bundles stay tagged and archival: `--bundle` merges the editions' structure
trees under one Document (a Part per edition, in order), renumbers the ParentTree so
every MCID and every link resolves on its own page, keeps the outline, claims PDF/UA-1
and PDF/A-2b only when every edition is, and gives the same bytes for the same editions.
On the base code (a pypdf merge) the bundle had no structure tree and no claims."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner

from factsheet.cli import main
from tests.projects import make_project

DATA = """\
region,people
North,1111
South,2222
East,3333
"""

SPEC = """\
document:
  title: "Report for {{ region }}"
  author: Test Org
  date: 2024-03-01
  pages: 2
theme: un-blue
data:
  regions: {file: data/regions.csv}
figures:
  people: {source: regions, where: {region: "{{ region }}"}, column: people}
pages:
  - blocks:
      - title_band: {kicker: "FACTS"}
      - heading: "People in {{ region }}"
      - paragraph: >-
          {{ region }} counts {{ people }} people.
          See [the census](https://example.org/{{ region }}).
      - chart: {type: bar, source: regions, x: region, y: people, id: chart,
                title: "People by region", height: 50mm}
  - blocks:
      - heading: "About {{ region }}"
      - paragraph: "Sources: [the office](https://example.org/office) and [the survey](https://example.org/survey)."
editions:
  matrix:
    region: {source: regions, column: region}
  output: "output/{region}.pdf"
  overrides:
    - when: {region: South}
      document: {language: fr, date: 2024-03-05}
"""

EXTENSION_SCHEMA = re.compile(r"pdfaExtension|pdfaSchema|pdfaProperty|pdfuaid")
REGIONS = ("North", "South", "East")


def run(project: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["build", "factsheets/report.yaml", *args])
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("bundle") / "p", {"regions.csv": DATA}, {"report.yaml": SPEC}
    )
    code, out = run(root, "--bundle", "output/all.pdf")
    assert code == 0, out
    assert "bundled     output/all.pdf\n" in out  # nothing to excuse
    return root


@pytest.fixture(scope="module")
def bundle(project: Path) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(project / "output" / "all.pdf") as pdf:
        yield pdf


def edition_pages(bundle: pikepdf.Pdf) -> list[set[tuple[int, int]]]:
    """The object ids of each edition's pages in the bundle (two pages each)."""
    ids = [page.obj.objgen for page in bundle.pages]
    assert len(ids) == 2 * len(REGIONS)
    return [set(ids[2 * n : 2 * n + 2]) for n in range(len(REGIONS))]


def kids_of(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def descendants(element: Any) -> Iterator[Any]:
    for kid in kids_of(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.get("/Type") != "/OBJR":
            yield kid
            yield from descendants(kid)


def parent_tree(bundle: pikepdf.Pdf) -> dict[int, Any]:
    nums = bundle.Root.StructTreeRoot.ParentTree.Nums
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert keys == sorted(set(keys)), "ParentTree keys must be unique and sorted"
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


# --- the structure tree ---------------------------------------------------------------


def test_one_document_with_a_part_per_edition_in_order(project: Path, bundle: pikepdf.Pdf) -> None:
    root = bundle.Root.StructTreeRoot
    document = root.K
    assert document.S == "/Document" and document.P.objgen == root.objgen
    parts = kids_of(document)
    assert [str(p.S) for p in parts] == ["/Part"] * 3
    assert [str(p.T) for p in parts] == [f"{r}: Report for {r}" for r in REGIONS]
    assert all(p.P.objgen == document.objgen for p in parts)
    # The bundle speaks the first edition's language; the French edition says so.
    assert str(bundle.Root.Lang) == "en"
    assert ["/Lang" in p for p in parts] == [False, True, False]
    assert str(parts[1].Lang) == "fr"
    # Each Part holds its edition's tree as it was, with every /P pointing to its parent.
    for part, region in zip(parts, REGIONS, strict=True):
        with pikepdf.open(project / "output" / f"{region.lower()}.pdf") as edition:
            own = [str(e.S) for e in descendants(edition.Root.StructTreeRoot.K)]
        assert [str(e.S) for e in descendants(part)] == own
        assert own.count("/Link") == 3 and "/Figure" in own
        for element in descendants(part):
            for kid in kids_of(element):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    assert kid.P.objgen == element.objgen


def test_each_part_references_only_its_own_editions_pages(bundle: pikepdf.Pdf) -> None:
    parts = kids_of(bundle.Root.StructTreeRoot.K)
    owned = edition_pages(bundle)
    for part, pages in zip(parts, owned, strict=True):
        seen = set()
        for element in descendants(part):
            if "/Pg" in element:
                seen.add(element.Pg.objgen)
            for kid in kids_of(element):
                if isinstance(kid, pikepdf.Dictionary) and "/Pg" in kid:  # MCR, OBJR
                    seen.add(kid.Pg.objgen)
        assert seen and seen <= pages
        assert seen == pages  # both pages of every edition have tagged content


def marked_ids(page: pikepdf.Page) -> list[int]:
    found = []
    for operands, operator in pikepdf.parse_content_stream(page):
        properties = operands[1] if str(operator) == "BDC" else None
        if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
            found.append(int(properties.MCID))
    return found


def test_every_mcid_resolves_to_an_element_on_its_page(bundle: pikepdf.Pdf) -> None:
    tree = parent_tree(bundle)
    keys = [int(page.obj.StructParents) for page in bundle.pages]
    assert len(set(keys)) == len(keys)
    checked = 0
    for page in bundle.pages:
        owners = tree[int(page.obj.StructParents)]
        mcids = marked_ids(page)
        assert mcids == list(range(len(owners)))
        for mcid in mcids:
            element = owners[mcid]
            direct = mcid in [k for k in kids_of(element) if isinstance(k, int)]
            on_page = direct and element.Pg.objgen == page.obj.objgen
            by_reference = any(
                isinstance(k, pikepdf.Dictionary)
                and k.get("/Type") == "/MCR"
                and int(k.MCID) == mcid
                and k.Pg.objgen == page.obj.objgen
                for k in kids_of(element)
            )
            assert on_page or by_reference, f"MCID {mcid} of page {page.index + 1}"
            checked += 1
    assert checked > 30
    root = bundle.Root.StructTreeRoot
    assert int(root.ParentTreeNextKey) == max(tree) + 1


def test_every_link_resolves_to_its_link_element(bundle: pikepdf.Pdf) -> None:
    tree = parent_tree(bundle)
    links = 0
    for page in bundle.pages:
        for annot in page.obj.get("/Annots", ()):
            element = tree[int(annot.StructParent)]
            assert element.S == "/Link"
            objr = [k for k in kids_of(element) if k.get("/Type") == "/OBJR"]
            assert [o.Obj.objgen for o in objr] == [annot.objgen]
            assert objr[0].Pg.objgen == page.obj.objgen
            assert str(annot.A.URI).startswith("https://example.org/")
            # Described by the words the link is set on, as the Link element's alt text.
            assert str(annot.Contents).strip() and str(annot.Contents) == str(element.Alt)
            links += 1
    assert links == 3 * 3  # one link on each edition's first page, two on its second


# --- what it claims -----------------------------------------------------------------


def test_catalog_and_metadata(bundle: pikepdf.Pdf) -> None:
    assert bool(bundle.Root.MarkInfo.Marked) is True
    assert bool(bundle.Root.ViewerPreferences.DisplayDocTitle) is True
    assert len(bundle.Root.OutputIntents) == 1
    assert all(page.obj.Tabs == "/S" for page in bundle.pages)
    info = bundle.docinfo
    assert str(info.Title) == "Factsheets" and str(info.Author) == "Test Org"
    assert str(info.CreationDate).startswith("D:20240305")  # the latest edition's date
    xmp = bundle.Root.Metadata.read_bytes().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "Factsheets</rdf:li>" in xmp and "2024-03-05T00:00:00" in xmp


def test_pdfa_2b_finds_only_the_extension_schema(project: Path) -> None:
    with pikepdf.open(project / "output" / "all.pdf") as pdf:
        report = pikepdf.pdfa.check(pdf, "2b")
    other = [str(v) for v in report.violations if not EXTENSION_SCHEMA.search(str(v))]
    assert other == []
    assert len(report.violations) == 5


def test_pdfua_finds_nothing(project: Path) -> None:
    pdfua = pytest.importorskip("pdfua")
    report = pdfua.validate(str(project / "output" / "all.pdf"))
    assert [str(f) for f in report.findings] == []


def test_outloud_finds_no_errors(project: Path) -> None:
    pytest.importorskip("outloud")
    command = shutil.which("outloud", path=str(Path(sys.executable).parent))
    assert command is not None
    done = subprocess.run(
        [command, str(project / "output" / "all.pdf"), "--json", "-", "--fail-on", "never"],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)["results"][0]
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert result["counts"]["error"] == 0, errors
    assert result["stats"]["tagged"] is True


# --- outline, pages, bytes ------------------------------------------------------------


def outline_of(path: Path) -> list[tuple[int, str, int]]:
    reader = pypdf.PdfReader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def test_outline_nests_each_editions_bookmarks(project: Path) -> None:
    expected = []
    for n, region in enumerate(REGIONS):
        expected.append((0, f"{region}: Report for {region}", 2 * n))
        own = outline_of(project / "output" / f"{region.lower()}.pdf")
        expected += [(depth + 1, title, 2 * n + page) for depth, title, page in own]
    assert [t for _, t, _ in expected][1:3] == ["People in North", "About North"]
    assert outline_of(project / "output" / "all.pdf") == expected


def test_bookmarks_keep_their_place_on_the_page(project: Path, bundle: pikepdf.Pdf) -> None:
    with pikepdf.open(project / "output" / "south.pdf") as south:
        own = south.Root.Outlines.First.Next.Dest  # "About South", on its second page
        item = bundle.Root.Outlines.First.Next.First.Next
        assert str(item.Title) == "About South"
        assert item.Dest[0].objgen == bundle.pages[3].obj.objgen
        assert list(item.Dest)[1:] == list(own)[1:]


def test_pages_come_in_edition_order(project: Path) -> None:
    text = [page.extract_text() for page in pypdf.PdfReader(project / "output" / "all.pdf").pages]
    assert ["People in North" in text[0], "About North" in text[1]] == [True, True]
    assert "People in South" in text[2] and "About East" in text[5]


def test_rebuilding_gives_the_same_bytes(project: Path) -> None:
    first = (project / "output" / "all.pdf").read_bytes()
    code, out = run(project, "--force", "--bundle", "output/again.pdf")
    assert code == 0, out
    assert (project / "output" / "again.pdf").read_bytes() == first


# --- an edition that is not tagged or not archival --------------------------------------


@pytest.mark.parametrize(
    ("override", "tagged", "archival", "said"),
    [
        ("pdf: {tagged: false}", False, True, "not PDF/UA-1: edition 'South' is not tagged"),
        ("pdf: {standard: none}", True, False, "not PDF/A-2b: edition 'South' is not archival"),
    ],
)
def test_a_bundle_claims_only_what_every_edition_is(
    tmp_path: Path, override: str, tagged: bool, archival: bool, said: str
) -> None:
    spec = SPEC.replace(
        "      document: {language: fr, ", "      document: {language: fr, " + override + ", "
    )
    project = make_project(tmp_path / "p", {"regions.csv": DATA}, {"report.yaml": spec})
    code, out = run(project, "--bundle", "output/all.pdf")
    assert code == 0, out
    assert f"bundled     output/all.pdf  ({said})" in out  # the user is told why
    with pikepdf.open(project / "output" / "all.pdf") as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert ("pdfuaid:part" in xmp) is tagged
        assert ("/StructTreeRoot" in pdf.Root, "/MarkInfo" in pdf.Root) == (tagged, tagged)
        assert all(("/StructParents" in page.obj) is tagged for page in pdf.pages)
        annots = [a for page in pdf.pages for a in page.obj.get("/Annots", ())]
        assert annots and all(("/StructParent" in a) is tagged for a in annots)
        assert ("pdfaid:part" in xmp) is archival
        assert ("/OutputIntents" in pdf.Root) is archival
        report = pikepdf.pdfa.check(pdf, "2b")
        if archival:  # nothing claims PDF/UA, so nothing needs the extension schema
            assert [str(v) for v in report.violations] == []
    if archival:  # the untagged edition itself: its links print, no unused namespaces
        with pikepdf.open(project / "output" / "south.pdf") as pdf:
            assert [str(v) for v in pikepdf.pdfa.check(pdf, "2b").violations] == []
    assert len(outline_of(project / "output" / "all.pdf")) == 3 * 3


def test_an_unreadable_edition_pdf_is_a_clear_error(project: Path, tmp_path: Path) -> None:
    from factsheet.editions.merge import Part, merge
    from factsheet.errors import OutputError

    broken = tmp_path / "east.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot a pdf")
    good = Part(project / "output" / "north.pdf", "North", True)
    with pytest.raises(OutputError, match=r"cannot bundle .*east\.pdf: it is not a readable PDF"):
        merge([good, Part(broken, "East", True)])


def test_a_built_edition_whose_pdf_is_gone_stops_the_bundle(tmp_path: Path) -> None:
    """A bundle is never silently short of an edition."""
    from factsheet.editions.batch import BUILT, Job, Outcome
    from factsheet.editions.bundle import write_bundle
    from factsheet.errors import OutputError

    job = Job(spec_path=tmp_path / "s.yaml", index=0, label="North", output=tmp_path / "n.pdf")
    with pytest.raises(OutputError) as caught:
        write_bundle(tmp_path / "all.pdf", [Outcome(job=job, status=BUILT)], tmp_path)
    assert caught.value.message.startswith("edition North was built, but its PDF")
    assert not (tmp_path / "all.pdf").exists()
