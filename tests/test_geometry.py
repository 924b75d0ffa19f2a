"""Pure geometry: content and column rectangles, photo crop boxes around a focal point,
pixel targets for print, and fitting a size into a box."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factsheet.layout.geometry import (
    PAPER_SIZES,
    Margins,
    Rect,
    content_rect,
    crop_box,
    split_columns,
    target_pixels,
)

# --- rectangles -------------------------------------------------------------------


def test_rect_edges() -> None:
    rect = Rect(10, 20, 30, 40)
    assert rect.right == 40
    assert rect.top == 60


def test_content_rect_a4() -> None:
    paper = PAPER_SIZES["A4"]
    area = content_rect(paper, Margins(top=30, bottom=50, left=40, right=20))
    assert area.x == 40
    assert area.y == 50
    assert area.width == pytest.approx(paper[0] - 60)
    assert area.height == pytest.approx(paper[1] - 80)
    assert area.right == pytest.approx(paper[0] - 20)
    assert area.top == pytest.approx(paper[1] - 30)


def test_content_rect_letter_without_margins_is_the_paper() -> None:
    assert content_rect(PAPER_SIZES["Letter"], Margins(0, 0, 0, 0)) == Rect(0, 0, 612, 792)


def test_paper_sizes() -> None:
    # A4 is 210 x 297 mm; Letter is 8.5 x 11 in.
    assert PAPER_SIZES["A4"] == pytest.approx((210 * 72 / 25.4, 297 * 72 / 25.4), abs=1e-3)
    assert PAPER_SIZES["Letter"] == (8.5 * 72, 11 * 72)


@pytest.mark.parametrize("count", [1, 2, 3, 4])
@pytest.mark.parametrize("gap", [0.0, 14.17, 20.0])
def test_split_columns(count: int, gap: float) -> None:
    area = Rect(42.5, 56.7, 510.2, 700.0)
    columns = split_columns(area, count, gap)
    assert len(columns) == count
    expected_width = (area.width - gap * (count - 1)) / count
    for column in columns:
        assert column.width == pytest.approx(expected_width)
        assert column.y == area.y
        assert column.height == area.height
        assert column.x >= area.x - 1e-9
        assert column.right <= area.right + 1e-9
    for left, right in itertools.pairwise(columns):
        assert right.x - left.right == pytest.approx(gap)
    assert columns[0].x == area.x
    assert columns[-1].right == pytest.approx(area.right)


def test_split_two_columns_exact_numbers() -> None:
    left, right = split_columns(Rect(10, 10, 180, 280), 2, 20)
    assert left == Rect(10, 10, 80, 280)
    assert right == Rect(110, 10, 80, 280)


# --- crop boxes -------------------------------------------------------------------


def box_size(box: tuple[int, int, int, int]) -> tuple[int, int]:
    return box[2] - box[0], box[3] - box[1]


def test_crop_same_aspect_keeps_whole_image() -> None:
    assert crop_box((4000, 2000), (300, 150), (0.5, 0.5)) == (0, 0, 4000, 2000)
    assert crop_box((4000, 2000), (300, 150), (0.0, 1.0)) == (0, 0, 4000, 2000)


def test_crop_landscape_image_into_square_frame() -> None:
    image = (4000, 2000)
    assert crop_box(image, (100, 100), (0.5, 0.5)) == (1000, 0, 3000, 2000)
    # Focus honoured: the box is centred on x = 0.3 * 4000 = 1200.
    assert crop_box(image, (100, 100), (0.3, 0.5)) == (200, 0, 2200, 2000)
    # Clamped at the edges rather than leaving the image.
    assert crop_box(image, (100, 100), (0.1, 0.5)) == (0, 0, 2000, 2000)
    assert crop_box(image, (100, 100), (0.9, 0.5)) == (2000, 0, 4000, 2000)
    assert crop_box(image, (100, 100), (1.0, 0.0)) == (2000, 0, 4000, 2000)


def test_crop_portrait_image_into_wide_frame() -> None:
    image = (1000, 3000)
    # Frame aspect 2: the box is the full width and half as tall.
    assert crop_box(image, (200, 100), (0.5, 0.5)) == (0, 1250, 1000, 1750)
    # Focus y = 0.62: centre at 1860, so the top is 1860 - 250 = 1610.
    assert crop_box(image, (200, 100), (0.5, 0.62)) == (0, 1610, 1000, 2110)
    assert crop_box(image, (200, 100), (0.5, 0.0)) == (0, 0, 1000, 500)
    assert crop_box(image, (200, 100), (0.5, 1.0)) == (0, 2500, 1000, 3000)
    # Horizontal focus does nothing when the box is as wide as the image.
    assert crop_box(image, (200, 100), (0.0, 0.5)) == crop_box(image, (200, 100), (1.0, 0.5))


def test_crop_landscape_image_into_tall_frame() -> None:
    image = (3000, 2000)
    left, top, right, bottom = crop_box(image, (100, 200), (0.75, 0.5))
    assert (top, bottom) == (0, 2000)
    assert right - left == 1000
    assert left == 1750  # 0.75 * 3000 - 500


def test_crop_hero_like_frame_matches_aspect() -> None:
    frame = (595.2756, 249.45)  # A4 width, 88 mm tall
    box = crop_box((1920, 1080), frame, (0.5, 0.62))
    width, height = box_size(box)
    assert width == 1920
    assert height == round(1920 / (frame[0] / frame[1]))
    assert box[1] == round(0.62 * 1080 - height / 2)


sizes = st.integers(min_value=50, max_value=6000)
focus = st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
# Frames from a twentieth to twenty times as wide as tall: any photo frame a page can hold.
frames = st.tuples(st.floats(10.0, 2000.0), st.floats(0.05, 20.0)).map(
    lambda wa: (wa[0], wa[0] / wa[1])
)


@settings(max_examples=300, deadline=None)
@given(image=st.tuples(sizes, sizes), frame=frames, focus=focus)
def test_crop_box_properties(
    image: tuple[int, int], frame: tuple[float, float], focus: tuple[float, float]
) -> None:
    box = crop_box(image, frame, focus)
    left, top, right, bottom = box
    width, height = box_size(box)
    aspect = frame[0] / frame[1]
    # Non-empty and inside the image.
    assert 0 <= left < right <= image[0]
    assert 0 <= top < bottom <= image[1]
    # As large as possible: one side is the image's full side, and the other side is
    # derived from it through the frame's aspect ratio, to within a pixel.
    assert width == image[0] or height == image[1]
    if width == image[0]:
        assert abs(height - width / aspect) <= 1
    else:
        assert abs(width - height * aspect) <= 1
    # Centred on the focus unless that would leave the image, then against the edge.
    for start, length, full, f in (
        (left, width, image[0], focus[0]),
        (top, height, image[1], focus[1]),
    ):
        ideal = f * full - length / 2
        if 0 <= ideal <= full - length:
            assert abs(start + length / 2 - f * full) <= 1
        elif ideal < 0:
            assert start == 0
        else:
            assert start + length == full


# --- print sizes ------------------------------------------------------------------


def test_target_pixels_at_200_ppi() -> None:
    # 144 x 72 pt is 2 x 1 in: 400 x 200 px at 200 ppi.
    assert target_pixels((144, 72), (4000, 3000), 200) == (400, 200)
    # A4 width, 88 mm tall.
    w, h = target_pixels((595.2756, 249.45), (6000, 4000), 200)
    assert w == round(595.2756 / 72 * 200)
    assert h == round(249.45 / 72 * 200)


def test_target_pixels_never_upsamples() -> None:
    # Only half the pixels wanted across: scale both sides by 0.5.
    assert target_pixels((144, 72), (200, 500), 200) == (200, 100)
    # Exactly enough pixels: unchanged.
    assert target_pixels((144, 72), (400, 200), 200) == (400, 200)
    # Height is the limit.
    assert target_pixels((144, 72), (4000, 50), 200) == (100, 50)


def test_target_pixels_at_least_one() -> None:
    assert target_pixels((0.01, 0.01), (10, 10), 200) == (1, 1)


@settings(max_examples=200, deadline=None)
@given(
    printed=st.tuples(st.floats(1.0, 2000.0), st.floats(1.0, 2000.0)),
    available=st.tuples(st.integers(1, 8000), st.integers(1, 8000)),
    ppi=st.sampled_from([72.0, 150.0, 200.0, 300.0]),
)
def test_target_pixels_properties(
    printed: tuple[float, float], available: tuple[int, int], ppi: float
) -> None:
    w, h = target_pixels(printed, available, ppi)
    want = (max(1, round(printed[0] / 72 * ppi)), max(1, round(printed[1] / 72 * ppi)))
    assert 1 <= w <= max(1, min(available[0], want[0]))
    assert 1 <= h <= max(1, min(available[1], want[1]))
    if want[0] <= available[0] and want[1] <= available[1]:
        assert (w, h) == want
