"""Photos from residents: judged by content, capped in bytes and pixels, re-encoded, stripped of EXIF and GPS."""

import io

import pytest
from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from initiatives import images
from initiatives.images import ImageRejected, PhotoField, process_image
from tests.photos import GPS_IFD, gps_exif, jpeg_bytes


def png_bytes(size=(200, 100), mode="RGB", colour=(10, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def assert_no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif(), "EXIF survived"
        assert "exif" not in image.info
        assert "icc_profile" not in image.info
        assert "xmp" not in image.info
        assert "comment" not in image.info
    assert b"Exif\x00\x00" not in data
    assert b"Telefoonmaker" not in data


def rejected_code(source) -> str:
    with pytest.raises(ImageRejected) as excinfo:
        process_image(source)
    return excinfo.value.code


def test_pillow_guard_is_set_to_the_pixel_cap():
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS == 40_000_000


@pytest.mark.parametrize(
    "content",
    [
        b"Dit is een tekstbestand, geen foto.",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj",
    ],
    ids=["text", "svg", "pdf"],
)
def test_a_non_image_is_refused_with_a_plain_reason(content):
    with pytest.raises(ImageRejected) as excinfo:
        process_image(content)
    assert excinfo.value.code == "not_an_image"
    assert "JPEG" in excinfo.value.messages[0] and "PNG" in excinfo.value.messages[0]


def test_an_empty_file_is_refused():
    assert rejected_code(b"") == "empty"


def test_a_lying_extension_is_judged_by_content_not_name():
    html_as_jpeg = SimpleUploadedFile("vakantie.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    assert rejected_code(html_as_jpeg) == "not_an_image"
    # A GIF is an image, but not one we take, whatever its name says.
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "GIF")
    assert rejected_code(SimpleUploadedFile("foto.png", buffer.getvalue(), "image/png")) == "not_an_image"
    # And a real PNG named .jpg is accepted as the PNG it is (and stored as JPEG, the opaque-photo format).
    processed = process_image(SimpleUploadedFile("foto.jpg", png_bytes(), "image/jpeg"))
    assert processed.source_format == "PNG"
    assert processed.largest.content_type == "image/jpeg"


@pytest.mark.parametrize("size", [(10_000, 10_000), (9_000, 5_000)], ids=["100-megapixel", "45-megapixel"])
def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(size):
    # A one-bit PNG of this size compresses to a few kilobytes but would unpack to hundreds of megabytes.
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG")
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    with pytest.raises(ImageRejected) as excinfo:
        process_image(data)
    assert excinfo.value.code == "too_many_pixels"
    megapixels = size[0] * size[1] // 1_000_000
    assert f"{megapixels} megapixel" in excinfo.value.messages[0]


def test_an_oversized_file_is_refused_before_it_is_read():
    big = jpeg_bytes() + b"\0" * (images.MAX_UPLOAD_BYTES)
    assert rejected_code(big) == "too_large"
    upload = SimpleUploadedFile("groot.jpg", big, "image/jpeg")
    with pytest.raises(ImageRejected) as excinfo:
        process_image(upload)
    assert excinfo.value.code == "too_large"
    assert "10 MB" in excinfo.value.messages[0]


def test_a_damaged_photo_is_refused():
    truncated = jpeg_bytes((800, 600))[:400]
    assert rejected_code(truncated) in {"damaged", "not_an_image"}


def test_a_gps_tagged_jpeg_is_stripped_and_turned_upright():
    exif = gps_exif(orientation=6)  # the camera was held sideways: rotate 90 degrees clockwise to view
    original = jpeg_bytes((200, 100), exif=exif, comment=b"Telefoonmaker")
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(GPS_IFD), "the test photo must carry GPS to begin with"

    processed = process_image(SimpleUploadedFile("IMG_0001.JPG", original, "image/jpeg"))

    assert (processed.width, processed.height) == (100, 200)
    for rendition in processed.renditions:
        assert_no_metadata(rendition.data)


def test_an_icc_profile_is_converted_and_dropped():
    buffer = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (50, 50), (0, 128, 255)).save(buffer, "JPEG", icc_profile=profile)
    processed = process_image(buffer.getvalue())
    assert_no_metadata(processed.largest.data)


def test_no_stored_file_carries_exif(settings):
    processed = process_image(jpeg_bytes((2000, 1500), exif=gps_exif()))
    names = [default_storage.save(f"test/{r.width}.{r.extension}", r.as_file("foto")) for r in processed.renditions]
    assert len(names) == 3
    for name in names:
        with default_storage.open(name) as stored:
            assert_no_metadata(stored.read())


def test_sizes_for_phones_are_made_and_never_upscaled():
    wide = process_image(jpeg_bytes((2400, 1200)))
    assert wide.srcset_widths() == [480, 960, 1600]
    assert (wide.largest.width, wide.largest.height) == (1600, 800)
    assert (wide.smallest.width, wide.smallest.height) == (480, 240)

    narrow = process_image(jpeg_bytes((700, 350)))
    assert narrow.srcset_widths() == [480, 700]

    tiny = process_image(jpeg_bytes((300, 200)))
    assert tiny.srcset_widths() == [300]


def test_transparency_is_kept_as_webp_and_opaque_photos_become_jpeg():
    transparent = process_image(png_bytes(mode="RGBA", colour=(10, 120, 40, 100)))
    assert transparent.largest.content_type == "image/webp"
    with Image.open(io.BytesIO(transparent.largest.data)) as image:
        assert image.format == "WEBP" and image.mode == "RGBA"

    opaque_rgba = process_image(png_bytes(mode="RGBA", colour=(10, 120, 40, 255)))
    assert opaque_rgba.largest.content_type == "image/jpeg"

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (1, 2, 3)).save(buffer, "WEBP")
    assert process_image(buffer.getvalue()).largest.extension == "jpg"


def test_cmyk_and_palette_images_are_converted():
    buffer = io.BytesIO()
    Image.new("CMYK", (40, 40), (0, 100, 100, 0)).save(buffer, "JPEG")
    with Image.open(io.BytesIO(process_image(buffer.getvalue()).largest.data)) as image:
        assert image.mode == "RGB"
    buffer = io.BytesIO()
    Image.new("P", (40, 40), 3).save(buffer, "PNG")
    assert process_image(buffer.getvalue()).largest.content_type == "image/jpeg"


class PhotoForm(forms.Form):
    description = forms.CharField()
    photo = PhotoField(required=False)


def test_the_form_field_says_why_and_keeps_the_other_fields():
    form = PhotoForm(
        data={"description": "Het speelveldje"},
        files={"photo": SimpleUploadedFile("foto.jpg", b"geen foto", "image/jpeg")},
    )
    assert not form.is_valid()
    assert "JPEG" in form.errors["photo"][0]
    assert form.cleaned_data["description"] == "Het speelveldje"
    assert 'accept="image/jpeg,image/png,image/webp"' in str(form["photo"])


def test_the_form_field_returns_a_processed_image_or_none():
    form = PhotoForm(data={"description": "x"}, files={"photo": SimpleUploadedFile("a.png", png_bytes(), "image/png")})
    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["photo"], images.ProcessedImage)
    empty = PhotoForm(data={"description": "x"}, files={})
    assert empty.is_valid() and empty.cleaned_data["photo"] is None


INPUTS = [("JPEG", False), ("PNG", False), ("PNG", True), ("WEBP", False), ("WEBP", True)]


@pytest.mark.parametrize(("fmt", "transparent"), INPUTS,
                         ids=["jpeg", "png", "png-transparent", "webp", "webp-transparent"])
def test_no_stored_rendition_keeps_any_metadata_of_any_accepted_format(db, fmt, transparent):
    """A photo with GPS in EXIF, XMP and comments/text chunks, in every accepted format, is stored bare."""
    from initiatives import services
    from tests.factories_initiatives import InitiativeFactory
    from tests.photos import gps_tagged, metadata_left_in

    original = gps_tagged(fmt, transparent=transparent)
    assert {"EXIF", "info['xmp']"} <= set(metadata_left_in(original)), "the test photo must carry metadata"
    draft = InitiativeFactory()

    photo = services.add_photo(actor=draft.initiator, initiative=draft, image=process_image(original),
                               alt_text="De speeltuin")

    assert len(photo.renditions) == 3
    for rendition in photo.renditions:
        with default_storage.open(rendition["name"]) as stored:
            data = stored.read()
        assert metadata_left_in(data) == [], rendition["name"]
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == ("WEBP" if transparent else "JPEG")
            assert not image.getexif()
